#!/usr/bin/env bash
# Starts a single-node Apache Kafka broker (KRaft: broker and controller in one JVM) on
# 127.0.0.1 and waits until it takes requests. Idempotent: if something already answers
# on the port, it does nothing.
#
#   KAFKA_PORT             client port (default: the port of KAFKA_BROKERS, else 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller port (default KAFKA_PORT + 1)
#   KAFKA_DIR              where the broker keeps its data, logs and pid (default .cache/kafka/broker-<port>)
#   KAFKA_HEAP             JVM heap (default 512m)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
libs="${KAFKA_LIBS:-$root/.cache/kafka/libs}"

default_port=9092
if [ -n "${KAFKA_BROKERS:-}" ]; then default_port="${KAFKA_BROKERS%%,*}"; default_port="${default_port##*:}"; fi
port="${KAFKA_PORT:-$default_port}"
controller_port="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"
dir="${KAFKA_DIR:-$root/.cache/kafka/broker-$port}"
heap="${KAFKA_HEAP:-512m}"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if port_open "$port"; then exit 0; fi

bash "$here/fetch.sh"
mkdir -p "$dir/data" "$dir/logs"

cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=4
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
log.segment.bytes=67108864
PROPS

java_cmd=(java -Xms128m "-Xmx$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
  "-Dkafka.logs.dir=$dir/logs" "-Dlog4j.configuration=file:$here/log4j.properties" -cp "$libs/*")

# Format the storage once; a formatted folder keeps its cluster id (and its topics) across restarts.
if [ ! -f "$dir/data/meta.properties" ]; then
  # A cluster id is 16 random bytes, base64url without padding (what `StorageTool random-uuid` prints).
  cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  "${java_cmd[@]}" kafka.tools.StorageTool format --ignore-formatted -t "$cluster_id" -c "$dir/server.properties" >"$dir/logs/format.log"
fi

echo "kafka/start: starting the broker on 127.0.0.1:$port (data in $dir)" >&2
setsid nohup "${java_cmd[@]}" kafka.Kafka "$dir/server.properties" >"$dir/logs/stdout.log" 2>&1 </dev/null &
echo $! >"$dir/broker.pid"

# Ready = the client port is open and the broker logged that it started (the port opens a little earlier).
for _ in $(seq 1 600); do
  if port_open "$port" && grep -q 'Kafka Server started' "$dir/logs/server.log" 2>/dev/null; then exit 0; fi
  if ! kill -0 "$(cat "$dir/broker.pid")" 2>/dev/null; then
    echo "kafka/start: the broker exited; last lines of its log:" >&2
    tail -n 20 "$dir/logs/stdout.log" "$dir/logs/server.log" >&2 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
done
echo "kafka/start: the broker did not come up on 127.0.0.1:$port within 60 s (log: $dir/logs/server.log)" >&2
exit 1
