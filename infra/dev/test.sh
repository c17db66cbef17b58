#!/usr/bin/env bash
# `npm test` after the typecheck: brings up the services the suite talks to, builds the web pages, runs every test
# file, and stops the Kafka broker again if it was this run that started it (PostgreSQL and
# Redis are the machine's and stay up).
set -uo pipefail
here="$(dirname "$0")"
kafka_was_up=false
(exec 3<>/dev/tcp/127.0.0.1/"${KAFKA_PORT:-9092}") 2>/dev/null && kafka_was_up=true
bash "$here/ensure-services.sh" || exit 1
# The web pages as the sources are now (npm install built them once; infra/web/build.ts).
node "$here/../web/build.ts" || exit 1
node --test --test-concurrency=2 "{commands,events,infra,load-tests,projections,rooms}/**/*.test.ts"
status=$?
if [ "$kafka_was_up" = false ]; then bash "$here/kafka/stop.sh" >/dev/null 2>&1 || true; fi
exit $status
