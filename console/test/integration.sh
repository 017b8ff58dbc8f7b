#!/usr/bin/env bash
# The console against REAL backends in throwaway containers (about 1-2 min):
#
#   console/test/integration.sh
#
# Starts, on a network of its own: a one-node KRaft Kafka (bigdata-local/kafka), a Kafka Connect worker
# (bigdata-local/kafka-connect) writing a FileStreamSink file to a volume, a MariaDB (bigdata-local/mariadb, when
# that image is there) with a table of known rows, and the console image (bigdata-local/console) with actions
# enabled and a token file; Spark is deliberately absent (the console must say so). Then test/integration/ (pytest,
# from the host through published loopback ports) produces JSON messages, commits a consumer group's offsets, runs
# a FileStreamSink connector and checks the console's JSON and pages: offsets, lag, last messages, connectors, a
# pause -> PAUSED -> resume -> RUNNING round trip with the token and 403 without it, the overview's counts, the
# Table 6 chart rendered in the image, and, with Kafka stopped, pages that still answer and name it. Finally it
# prints the console's image size and its memory (RSS) at rest.
#
# Build the images first: bootstrap/docker/images.sh kafka-connect console (mariadb optional).
# Container names start with console-it-, host ports are 127.0.0.1:41080 (console), 41083 (Connect), 41092 (Kafka);
# everything started is removed on exit (trap), also after a failure or Ctrl-C.
set -euo pipefail
console=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
repo=$(cd -- "$console/.." && pwd)

kafka_version=$(sed -n 's/^KAFKA_VERSION=\([^[:space:]#]*\).*/\1/p' "$repo/images/versions.env")
mariadb_version=$(sed -n 's/^MARIADB_VERSION=\([^[:space:]#]*\).*/\1/p' "$repo/images/versions.env")
console_version=$(sed -n 's/^__version__ = "\([^"]*\)"$/\1/p' "$console/bigdata_console/__init__.py")
kafka_image="bigdata-local/kafka:$kafka_version"
connect_image="bigdata-local/kafka-connect:$kafka_version"
mariadb_image="bigdata-local/mariadb:$mariadb_version"
console_image="bigdata-local/console:$console_version"

p="console-it"
net="$p-net"
sink_volume="$p-sink"
kafka_port=41092
connect_port=41083
console_port=41080
topic="$p-topic"
mariadb_rows=12

docker info >/dev/null 2>&1 || { echo "integration: no Docker engine answers (bootstrap/docker/engine.sh)" >&2; exit 1; }
for image in "$kafka_image" "$connect_image" "$console_image"; do
  docker image inspect "$image" >/dev/null 2>&1 \
    || { echo "integration: image $image is missing; build it: bootstrap/docker/images.sh kafka-connect console" >&2; exit 1; }
done
with_mariadb=0
if docker image inspect "$mariadb_image" >/dev/null 2>&1; then with_mariadb=1; fi

tmp=$(mktemp -d)
cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    for c in kafka connect console mariadb; do
      if docker container inspect "$p-$c" >/dev/null 2>&1; then
        echo "----- last log lines of $p-$c" >&2
        docker logs --tail 30 "$p-$c" >&2 2>&1 || true
      fi
    done
  fi
  docker rm -f "$p-console" "$p-connect" "$p-kafka" "$p-mariadb" >/dev/null 2>&1 || true
  docker network rm "$net" >/dev/null 2>&1 || true
  docker volume rm "$sink_volume" >/dev/null 2>&1 || true
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# leftovers of an interrupted earlier run
docker rm -f "$p-console" "$p-connect" "$p-kafka" "$p-mariadb" >/dev/null 2>&1 || true
docker network rm "$net" >/dev/null 2>&1 || true
docker volume rm "$sink_volume" >/dev/null 2>&1 || true

start=$SECONDS
docker network create "$net" >/dev/null
docker volume create "$sink_volume" >/dev/null

cat >"$tmp/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
listeners=INTERNAL://:9092,CONTROLLER://:9093,EXTERNAL://:9094
advertised.listeners=INTERNAL://$p-kafka:9092,EXTERNAL://127.0.0.1:$kafka_port
inter.broker.listener.name=INTERNAL
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT
log.dirs=/var/lib/kafka/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
cat >"$tmp/connect.properties" <<PROPS
bootstrap.servers=$p-kafka:9092
group.id=$p-connect
key.converter=org.apache.kafka.connect.storage.StringConverter
value.converter=org.apache.kafka.connect.storage.StringConverter
config.storage.topic=$p-connect-configs
config.storage.replication.factor=1
offset.storage.topic=$p-connect-offsets
offset.storage.replication.factor=1
status.storage.topic=$p-connect-status
status.storage.replication.factor=1
offset.flush.interval.ms=1000
listeners=HTTP://:8083
rest.advertised.host.name=$p-connect
plugin.path=/opt/kafka/connect-plugins
PROPS
chmod 0644 "$tmp"/*.properties

docker run -d --name "$p-kafka" --network "$net" -p "127.0.0.1:$kafka_port:9094" \
  -e KAFKA_HEAP_OPTS="-Xms256m -Xmx256m" -v "$tmp/server.properties:/opt/kafka/config/it.properties:ro" \
  "$kafka_image" bash -c 'kafka-storage.sh format -t "$(kafka-storage.sh random-uuid)" -c /opt/kafka/config/it.properties >/dev/null && exec kafka-server-start.sh /opt/kafka/config/it.properties' >/dev/null
docker run -d --name "$p-connect" --network "$net" -p "127.0.0.1:$connect_port:8083" \
  -e KAFKA_HEAP_OPTS="-Xms256m -Xmx256m" -v "$tmp/connect.properties:/opt/kafka/config/it-connect.properties:ro" \
  -v "$sink_volume:/var/lib/connect-sink" \
  "$connect_image" connect-distributed.sh /opt/kafka/config/it-connect.properties >/dev/null

# what the platform passes as secret files: the action token and the MariaDB password
token="it-token-$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$token" >"$tmp/token"
printf '%s\n' "console-it-password" >"$tmp/mariadb-password"
chmod 0644 "$tmp/token" "$tmp/mariadb-password"
# a Table 6 file as the benchmark would leave it (runner results, both modes)
cat >"$tmp/table6.json" <<'JSON'
[{"mode": "local", "master": "local[2]", "seed": 1, "sizes": [
   {"size_mb": 20, "job_s": 4.2, "submit_wall_s": 11.0, "mb_per_s": 4.8, "mb_per_s_per_core": 2.4, "cores": 2, "executors": 1, "rows_read": 250000}]},
 {"mode": "cluster", "master": "spark://spark-master:7077", "seed": 1, "sizes": [
   {"size_mb": 20, "job_s": 2.1, "submit_wall_s": 14.5, "mb_per_s": 9.5, "mb_per_s_per_core": 4.8, "cores": 2, "executors": 2, "rows_read": 250000}]}]
JSON
chmod 0644 "$tmp/table6.json"

mariadb_env=(-e CONSOLE_MARIADB_HOST="$p-nomariadb" -e CONSOLE_MARIADB_PASSWORD_FILE=/run/secrets/mariadb-password)
if [ "$with_mariadb" -eq 1 ]; then
  mkdir -p "$tmp/initdb"
  {
    echo "CREATE TABLE testdb.test (id BIGINT AUTO_INCREMENT PRIMARY KEY, location VARCHAR(64), temperature DOUBLE);"
    for i in $(seq 1 "$mariadb_rows"); do echo "INSERT INTO testdb.test (location, temperature) VALUES ('it-$i', $i.5);"; done
  } >"$tmp/initdb/10-rows.sql"
  chmod -R a+rX "$tmp/initdb"
  docker run -d --name "$p-mariadb" --network "$net" -e MARIADB_ROOT_PASSWORD=console-it-root \
    -e MARIADB_DATABASE=testdb -e MARIADB_USER=crawler -e MARIADB_PASSWORD=console-it-password \
    -v "$tmp/initdb:/docker-entrypoint-initdb.d:ro" "$mariadb_image" >/dev/null
  mariadb_env=(-e CONSOLE_MARIADB_HOST="$p-mariadb" -e CONSOLE_MARIADB_PASSWORD_FILE=/run/secrets/mariadb-password)
fi

docker run -d --name "$p-console" --network "$net" -p "127.0.0.1:$console_port:8080" \
  -e CONSOLE_KAFKA_BOOTSTRAP_SERVERS="$p-kafka:9092" \
  -e CONSOLE_CONNECT_URL="http://$p-connect:8083" \
  -e CONSOLE_SPARK_MASTER_URL="http://$p-nospark:8080" \
  -e CONSOLE_PIPELINE_TOPIC="$topic" \
  "${mariadb_env[@]}" \
  -e CONSOLE_SINK_FILE=/var/lib/connect-sink/it.txt \
  -e CONSOLE_TABLE6_FILE=/var/lib/benchmark/table6.json \
  -e CONSOLE_ACTIONS_ENABLED=true \
  -e CONSOLE_TOKEN_FILE=/run/secrets/console-token \
  -e CONSOLE_MAX_MESSAGES=50 \
  -v "$sink_volume:/var/lib/connect-sink:ro" \
  -v "$tmp/table6.json:/var/lib/benchmark/table6.json:ro" \
  -v "$tmp/token:/run/secrets/console-token:ro" \
  -v "$tmp/mariadb-password:/run/secrets/mariadb-password:ro" \
  "$console_image" >/dev/null

rss() { docker exec "$p-console" sed -n 's/^VmRSS:[[:space:]]*//p' /proc/1/status; }
echo "integration: containers started in $((SECONDS - start)) s; running the checks" >&2

export CONSOLE_IT_URL="http://127.0.0.1:$console_port"
export CONSOLE_IT_KAFKA="127.0.0.1:$kafka_port"
export CONSOLE_IT_CONNECT="http://127.0.0.1:$connect_port"
export CONSOLE_IT_TOKEN="$token"
export CONSOLE_IT_TOPIC="$topic"
export CONSOLE_IT_PREFIX="$p"
export CONSOLE_IT_MARIADB_ROWS
if [ "$with_mariadb" -eq 1 ]; then CONSOLE_IT_MARIADB_ROWS=$mariadb_rows; else CONSOLE_IT_MARIADB_ROWS=; fi
export CONSOLE_IT_RSS_FILE="$tmp/rss"

# the tests write the console's RSS (VmRSS of its process) into CONSOLE_IT_RSS_FILE: once it answers, and at rest
# after the checks (before Kafka is stopped)
bash "$console/test/run.sh" -q "$console/test/integration"

echo "integration: console image $console_image: $(docker image inspect -f '{{.Size}}' "$console_image" | awk '{ printf "%.0f MB", $1 / 1000000 }')"
sed 's/^/integration: console RSS /' "$tmp/rss" 2>/dev/null || true
echo "integration: console RSS now (Kafka stopped): $(rss)"
echo "integration: done in $((SECONDS - start)) s"
