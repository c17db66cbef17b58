#!/usr/bin/env bash
# Copies the Kafka broker's jars (pom.xml beside this file) from Maven Central into
# .cache/kafka/libs, once: a second run with the jars in place does nothing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
libs="${KAFKA_LIBS:-$root/.cache/kafka/libs}"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"

# The marker names the version, so bumping it in pom.xml fetches afresh.
if [ -f "$libs/.fetched-$version" ]; then exit 0; fi
command -v mvn >/dev/null || { echo "kafka/fetch: Maven (mvn) is needed to fetch the broker's jars" >&2; exit 1; }
command -v java >/dev/null || { echo "kafka/fetch: Java 17+ is needed to run the broker" >&2; exit 1; }
echo "kafka/fetch: fetching Apache Kafka $version jars into $libs" >&2
rm -rf "$libs"
mkdir -p "$libs"
mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs" >&2
touch "$libs/.fetched-$version"
