#!/usr/bin/env bash
# Stops a broker that start.sh started (same KAFKA_PORT / KAFKA_DIR), by its pid file:
# SIGTERM (a clean shutdown), then SIGKILL if it is still there after 30 s.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
default_port=9092
if [ -n "${KAFKA_BROKERS:-}" ]; then default_port="${KAFKA_BROKERS%%,*}"; default_port="${default_port##*:}"; fi
port="${KAFKA_PORT:-$default_port}"
dir="${KAFKA_DIR:-$root/.cache/kafka/broker-$port}"

pidfile="$dir/broker.pid"
[ -f "$pidfile" ] || { echo "kafka/stop: no broker started from $dir" >&2; exit 0; }
pid="$(cat "$pidfile")"
if kill -0 "$pid" 2>/dev/null; then
  kill -TERM "$pid"
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
fi
rm -f "$pidfile"
