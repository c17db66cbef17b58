#!/usr/bin/env bash
# Makes sure the services the test suite talks to are up on this machine: PostgreSQL
# (127.0.0.1:5432, database `test`), Redis (127.0.0.1:6379) and Kafka (127.0.0.1:9092). Starts whichever is down.
# Also installs what the browser tests drive (infra/web): Debian's Chromium, when it is missing.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up; then
  echo "ensure-services: starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "ensure-services: PostgreSQL did not come up on 127.0.0.1:5432" >&2; exit 1; }
fi
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -d postgres -c 'CREATE DATABASE test' >/dev/null
fi

if ! redis_up; then
  echo "ensure-services: starting Redis" >&2
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
  redis_up || { echo "ensure-services: Redis did not come up on 127.0.0.1:6379" >&2; exit 1; }
fi

# Chromium for the web pages' tests (infra/web/web.test.ts), from Debian's own package: playwright-core
# drives it, and never downloads a browser of its own.
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "ensure-services: installing Chromium (Debian package chromium)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || { echo "ensure-services: Chromium did not install at ${CHROMIUM_PATH:-/usr/bin/chromium}" >&2; exit 1; }
fi

# Apache Kafka (one KRaft node) on 127.0.0.1:9092 (or KAFKA_BROKERS' port) for the relay's tests:
# its jars are fetched from Maven Central into .cache/kafka on first use; a running broker is left alone.
bash "$(dirname "$0")/kafka/start.sh"
