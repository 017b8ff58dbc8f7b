#!/usr/bin/env bash
# End-to-end smoke test of the local images with plain `docker run` on a user-defined bridge network:
#   mariadb (binlog) -> Debezium MariaDB source (Kafka Connect) -> Kafka topic web-crawler-test
#   -> FileStream sink (/tmp/weather.txt in the Connect container) and a pyspark job on a Spark master + worker.
# Needs the images from bootstrap/docker/images.sh. Removes its containers, network and volumes at the end
# (also on failure). Prints one PASS/FAIL line per check and "N passed, N failed".
#
#   bootstrap/docker/smoke-test.sh [--keep]     # --keep: leave the containers running for a look
set -euo pipefail

KEEP=0
[ "${1:-}" = "--keep" ] && KEEP=1

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSIONS="$SCRIPT_DIR/../../images/versions.env"
# shellcheck disable=SC1090
. "$VERSIONS"
MARIADB_IMAGE="bigdata-local/mariadb:$MARIADB_VERSION"
KAFKA_IMAGE="bigdata-local/kafka:$KAFKA_VERSION"
CONNECT_IMAGE="bigdata-local/kafka-connect:$KAFKA_VERSION"
SPARK_IMAGE="bigdata-local/spark:$SPARK_VERSION"

P="bdsmoke-$$"          # name prefix of everything this run creates
NET="$P-net"
WORK="$(mktemp -d)"
chmod 755 "$WORK"
PASSED=0
FAILED=0

pass() { echo "PASS: $*"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL: $*"; FAILED=$((FAILED + 1)); }
log() { echo "[smoke] $*" >&2; }
T0=$(date +%s)

cleanup() {
  if [ "$KEEP" -eq 1 ]; then
    log "kept: containers $P-*, network $NET, volumes $P-*; files in $WORK"
    return
  fi
  docker ps -aq --filter "name=^$P-" | xargs -r docker rm -f -v >/dev/null 2>&1 || true
  docker network rm "$NET" >/dev/null 2>&1 || true
  docker volume ls -q --filter "name=^$P-" | xargs -r docker volume rm >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# wait_for SECONDS DESCRIPTION COMMAND...: retry until the command succeeds (bounded)
wait_for() {
  local limit="$1" what="$2" start
  shift 2
  start=$(date +%s)
  until "$@" >/dev/null 2>&1; do
    if [ $(( $(date +%s) - start )) -ge "$limit" ]; then
      log "timed out after ${limit}s waiting for $what"
      return 1
    fi
    sleep 1
  done
  log "$what after $(( $(date +%s) - start ))s"
}

# REST calls through python3 in the spark image (the other images carry no HTTP client)
cat > "$WORK/rest.py" <<'EOF'
import sys, json, urllib.request
method, url = sys.argv[1], sys.argv[2]
data = sys.stdin.read().encode() if method in ("PUT", "POST") else None
req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
try:
    with urllib.request.urlopen(req, timeout=30) as r:
        print(r.read().decode())
except urllib.error.HTTPError as e:
    print(e.read().decode(), file=sys.stderr)
    sys.exit(1)
EOF
rest() { docker run --rm -i --network "$NET" -v "$WORK/rest.py:/rest.py:ro" "$SPARK_IMAGE" python3 /rest.py "$@"; }
kafka_tool() { docker run --rm -i --network "$NET" -e KAFKA_HEAP_OPTS=-Xmx128m "$KAFKA_IMAGE" "$@"; }

docker network create "$NET" >/dev/null

# ------------------------------------------------------------------------------------------------ MariaDB
mkdir -p "$WORK/initdb"
cat > "$WORK/initdb/01-schema.sql" <<'EOF'
CREATE TABLE test (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  observed_at DATETIME NOT NULL,
  location VARCHAR(64) NOT NULL,
  temperature DECIMAL(5,2),
  pm10 INT,
  pm25 INT,
  ozone DECIMAL(6,4)
);
EOF
cat > "$WORK/initdb/02-debezium-user.sh" <<'EOF'
# sourced by the entrypoint (not executable): docker_process_sql is available
docker_process_sql <<SQL
CREATE USER 'debezium'@'%' IDENTIFIED BY 'dbz-secret';
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'debezium'@'%';
SQL
EOF
chmod -R a+rX "$WORK/initdb"
docker run -d --name "$P-mariadb" --network "$NET" --network-alias mariadb \
  -v "$P-mariadb-data:/var/lib/mysql" -v "$WORK/initdb:/docker-entrypoint-initdb.d:ro" \
  -e MARIADB_ROOT_PASSWORD=root-secret -e MARIADB_DATABASE=testdb \
  -e MARIADB_USER=crawler -e MARIADB_PASSWORD=crawler-secret \
  "$MARIADB_IMAGE" --log-bin=mysqld-bin --binlog-format=ROW --server-id=1 >/dev/null
if wait_for 120 "mariadb healthy" docker exec "$P-mariadb" healthcheck.sh --connect --innodb_initialized; then
  pass "mariadb: healthcheck.sh --connect --innodb_initialized"
else
  fail "mariadb: healthcheck"; docker logs "$P-mariadb" 2>&1 | tail -20 >&2
fi
fmt="$(docker exec "$P-mariadb" mariadb -uroot -proot-secret -N -e "SELECT @@binlog_format" 2>/dev/null || true)"
if [ "$fmt" = ROW ]; then pass "mariadb: binlog_format=ROW"; else fail "mariadb: binlog_format=$fmt"; fi
who="$(docker run --rm --network "$NET" "$MARIADB_IMAGE" mariadb -hmariadb -ucrawler -pcrawler-secret testdb -N -e "SELECT CONCAT(CURRENT_USER(), ' ', DATABASE())" 2>/dev/null || true)"
if [ "$who" = "crawler@% testdb" ]; then pass "mariadb: user crawler logs in to testdb over the network"; else fail "mariadb: crawler login ($who)"; fi

# ------------------------------------------------------------------------------------------------ Kafka
cat > "$WORK/server.properties" <<'EOF'
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@kafka:9093
listeners=PLAINTEXT://:9092,CONTROLLER://:9093
advertised.listeners=PLAINTEXT://kafka:9092
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=/var/lib/kafka/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
EOF
chmod 644 "$WORK/server.properties"
cluster_id="$(docker run --rm "$KAFKA_IMAGE" /opt/kafka/bin/kafka-storage.sh random-uuid)"
if docker run --rm -v "$P-kafka-data:/var/lib/kafka/data" -v "$WORK/server.properties:/etc/kafka-smoke/server.properties:ro" \
     "$KAFKA_IMAGE" /opt/kafka/bin/kafka-storage.sh format -t "$cluster_id" -c /etc/kafka-smoke/server.properties >/dev/null; then
  pass "kafka: kafka-storage.sh format (cluster id $cluster_id)"
else
  fail "kafka: kafka-storage.sh format"
fi
docker run -d --name "$P-kafka" --network "$NET" --network-alias kafka -e KAFKA_HEAP_OPTS="-Xms512m -Xmx512m" \
  -v "$P-kafka-data:/var/lib/kafka/data" -v "$WORK/server.properties:/etc/kafka-smoke/server.properties:ro" \
  "$KAFKA_IMAGE" /opt/kafka/bin/kafka-server-start.sh /etc/kafka-smoke/server.properties >/dev/null
if wait_for 120 "kafka answers" kafka_tool /opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server kafka:9092; then
  pass "kafka: kafka-broker-api-versions.sh --bootstrap-server kafka:9092"
else
  fail "kafka: broker did not answer"; docker logs "$P-kafka" 2>&1 | tail -20 >&2
fi
if kafka_tool /opt/kafka/bin/kafka-topics.sh --bootstrap-server kafka:9092 --create --topic smoke --partitions 1 --replication-factor 1 >/dev/null; then
  pass "kafka: kafka-topics.sh --create smoke"
else
  fail "kafka: create topic"
fi
printf 'one\ntwo\nthree\n' | kafka_tool /opt/kafka/bin/kafka-console-producer.sh --bootstrap-server kafka:9092 --topic smoke >/dev/null 2>&1 || true
got="$(kafka_tool /opt/kafka/bin/kafka-console-consumer.sh --bootstrap-server kafka:9092 --topic smoke --from-beginning \
        --max-messages 3 --timeout-ms 30000 2>/dev/null | tr '\n' ' ' || true)"
if [ "$got" = "one two three " ]; then pass "kafka: produced and consumed 3 messages"; else fail "kafka: consumed '$got'"; fi

# ------------------------------------------------------------------------------------------------ Kafka Connect
cat > "$WORK/connect.properties" <<'EOF'
bootstrap.servers=kafka:9092
group.id=bigdata-connect
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=true
value.converter.schemas.enable=true
config.storage.topic=connect-configs
config.storage.replication.factor=1
offset.storage.topic=connect-offsets
offset.storage.replication.factor=1
status.storage.topic=connect-status
status.storage.replication.factor=1
offset.flush.interval.ms=5000
listeners=HTTP://:8083
rest.advertised.host.name=connect
plugin.path=/opt/kafka/connect-plugins
EOF
chmod 644 "$WORK/connect.properties"
docker run -d --name "$P-connect" --network "$NET" --network-alias connect -e KAFKA_HEAP_OPTS="-Xms256m -Xmx768m" \
  -v "$WORK/connect.properties:/etc/kafka-smoke/connect.properties:ro" \
  "$CONNECT_IMAGE" /opt/kafka/bin/connect-distributed.sh /etc/kafka-smoke/connect.properties >/dev/null
wait_for 180 "connect REST answers" rest GET http://connect:8083/connector-plugins || { docker logs "$P-connect" 2>&1 | tail -20 >&2; }
plugins="$(rest GET http://connect:8083/connector-plugins 2>/dev/null || true)"
for c in org.apache.kafka.connect.file.FileStreamSinkConnector org.apache.kafka.connect.file.FileStreamSourceConnector \
         io.debezium.connector.mariadb.MariaDbConnector; do
  if [[ "$plugins" == *"\"$c\""* ]]; then pass "connect: plugin $c"; else fail "connect: plugin $c missing"; fi
done

cat > "$WORK/mariadb-source.json" <<'EOF'
{
  "connector.class": "io.debezium.connector.mariadb.MariaDbConnector",
  "tasks.max": "1",
  "database.hostname": "mariadb",
  "database.port": "3306",
  "database.user": "debezium",
  "database.password": "dbz-secret",
  "database.server.id": "184054",
  "database.ssl.mode": "disable",
  "topic.prefix": "web-crawler",
  "database.include.list": "testdb",
  "table.include.list": "testdb.test",
  "include.schema.changes": "false",
  "snapshot.mode": "initial",
  "decimal.handling.mode": "double",
  "schema.history.internal.kafka.bootstrap.servers": "kafka:9092",
  "schema.history.internal.kafka.topic": "schema-history.web-crawler",
  "transforms": "unwrap,route",
  "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
  "transforms.unwrap.drop.tombstones": "true",
  "transforms.unwrap.delete.handling.mode": "drop",
  "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
  "transforms.route.regex": "web-crawler\\.testdb\\.(.*)",
  "transforms.route.replacement": "web-crawler-$1"
}
EOF
cat > "$WORK/file-sink.json" <<'EOF'
{
  "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector",
  "tasks.max": "1",
  "topics": "web-crawler-test",
  "file": "/tmp/weather.txt"
}
EOF
if rest PUT http://connect:8083/connectors/mariadb-source/config < "$WORK/mariadb-source.json" >/dev/null; then
  pass "connect: registered mariadb-source"
else
  fail "connect: register mariadb-source"
fi
if rest PUT http://connect:8083/connectors/weather-file-sink/config < "$WORK/file-sink.json" >/dev/null; then
  pass "connect: registered weather-file-sink"
else
  fail "connect: register weather-file-sink"
fi
all_running() { # connector: the connector and every task RUNNING (at least one task)
  local s
  s="$(rest GET "http://connect:8083/connectors/$1/status" | tr -d ' \n')"
  [[ "$s" == *'"tasks":[{'* ]] && [[ "$s" == *'"state":"RUNNING"'* ]] \
    && ! grep -qE '"state":"(FAILED|UNASSIGNED|PAUSED|RESTARTING|STOPPED)"' <<<"$s"
}
for c in mariadb-source weather-file-sink; do
  if wait_for 120 "$c RUNNING" all_running "$c"; then pass "connect: $c and its tasks RUNNING"; else fail "connect: $c not RUNNING"; fi
done

docker exec "$P-mariadb" mariadb -ucrawler -pcrawler-secret testdb -e "
  INSERT INTO test (observed_at, location, temperature, pm10, pm25, ozone) VALUES
  (NOW(), 'Seoul', 21.5, 35, 18, 0.031), (NOW(), 'Busan', 23.1, 28, 12, 0.027), (NOW(), 'Daegu', 24.0, 40, 22, 0.035),
  (NOW(), 'Incheon', 20.2, 31, 15, 0.029), (NOW(), 'Gwangju', 22.7, 26, 11, 0.025);"
topic_has_5() { [ "$(kafka_tool /opt/kafka/bin/kafka-get-offsets.sh --bootstrap-server kafka:9092 --topic web-crawler-test 2>/dev/null)" = "web-crawler-test:0:5" ]; }
if wait_for 90 "5 records in web-crawler-test" topic_has_5; then pass "connect: 5 records in topic web-crawler-test"; else fail "connect: topic web-crawler-test offsets"; fi
file_has_5() { [ "$(docker exec "$P-connect" sh -c 'wc -l < /tmp/weather.txt' 2>/dev/null)" = 5 ]; }
if wait_for 60 "5 lines in /tmp/weather.txt" file_has_5; then pass "connect: 5 lines in /tmp/weather.txt"; else fail "connect: /tmp/weather.txt"; fi
docker exec "$P-connect" head -1 /tmp/weather.txt >&2 || true

# ------------------------------------------------------------------------------------------------ Spark
docker run -d --name "$P-spark-master" --network "$NET" --network-alias master "$SPARK_IMAGE" \
  /opt/spark/bin/spark-class org.apache.spark.deploy.master.Master --host master --port 7077 --webui-port 8080 >/dev/null
docker run -d --name "$P-spark-worker" --network "$NET" --network-alias worker1 \
  -e SPARK_WORKER_CORES=2 -e SPARK_WORKER_MEMORY=1g "$SPARK_IMAGE" \
  /opt/spark/bin/spark-class org.apache.spark.deploy.worker.Worker spark://master:7077 >/dev/null
worker_registered() { docker logs "$P-spark-worker" 2>&1 | grep -q 'Successfully registered with master'; }
if wait_for 90 "spark worker registered" worker_registered; then pass "spark: worker registered with spark://master:7077"; else fail "spark: worker registration"; fi
cat > "$WORK/smoke_job.py" <<'EOF'
from pyspark.sql import SparkSession, functions as F

spark = SparkSession.builder.appName("bigdata-smoke").getOrCreate()
print(f"SMOKE range={spark.range(0, 1_000_000).count()}")
df = (spark.read.format("kafka")
      .option("kafka.bootstrap.servers", "kafka:9092")
      .option("subscribe", "web-crawler-test")
      .option("startingOffsets", "earliest")
      .option("endingOffsets", "latest")
      .load())
print(f"SMOKE kafka={df.count()}")
temps = [r[0] for r in df.select(F.get_json_object(F.col("value").cast("string"), "$.payload.temperature")).collect()]
print("SMOKE temperatures=" + ",".join(temps))
spark.stop()
EOF
chmod 644 "$WORK/smoke_job.py"
out="$(docker run --rm --name "$P-spark-driver" --network "$NET" --network-alias driver \
  -v "$WORK/smoke_job.py:/opt/spark/work-dir/smoke_job.py:ro" "$SPARK_IMAGE" \
  /opt/spark/bin/spark-submit --master spark://master:7077 --conf spark.driver.host=driver \
  --conf spark.executor.memory=512m --conf spark.cores.max=2 smoke_job.py 2>"$WORK/spark-submit.err" || true)"
echo "$out" | grep SMOKE >&2 || tail -30 "$WORK/spark-submit.err" >&2
if [[ "$out" == *"SMOKE range=1000000"* ]]; then pass "spark: spark-submit on the cluster counted range(1000000)"; else fail "spark: range count"; fi
if [[ "$out" == *"SMOKE kafka=5"* ]]; then pass "spark: batch Kafka read of web-crawler-test counted 5"; else fail "spark: kafka read"; fi
if grep -q 'Granted executor ID' "$WORK/spark-submit.err"; then pass "spark: executor ran on the worker"; else fail "spark: no executor granted"; fi

log "done in $(( $(date +%s) - T0 ))s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
