import type { CapturedResource } from "../support/capture";
import { named, ofType } from "../support/capture";
import { buildStack, envOf, types, upload } from "./build";

let resources: CapturedResource[];
const container = (host: string) => named(resources, `bigdata-dev-${host}`);

beforeAll(async () => {
  resources = await buildStack("dev");
});

describe("dev stack (one Docker host)", () => {
  test("keeps Table 6 one switch away: benchmark.enabled adds its two runs on the stack file's small datasets", async () => {
    // Off by default: each mode's run costs a minute of Spark start and planning on two cores, whatever the size,
    // and a first deploy must stay short (README, Stacks).
    expect(ofType(resources, types.container).filter((r) => r.name.includes("benchmark"))).toEqual([]);
    const withBenchmark = await buildStack("dev", { benchmark: { enabled: true } });
    const runs = ofType(withBenchmark, types.container).filter((r) => r.name.includes("benchmark"));
    expect(runs.map((r) => r.name).sort()).toEqual(["bigdata-dev-benchmark-cluster", "bigdata-dev-benchmark-local"]);
    // The datasets live on a volume the runs share with the workers.
    expect(ofType(withBenchmark, types.volume).map((r) => r.name)).toContain("bigdata-dev-spark-data");
    // A job is waited on to its end, not to a health check; its exit status decides.
    expect(named(withBenchmark, "bigdata-dev-benchmark-local").inputs).toMatchObject({ attach: true, mustRun: false });
    expect(JSON.stringify(named(withBenchmark, "bigdata-dev-benchmark-local").inputs.command)).toContain('"--sizes-mb","20,40"');
  });

  test("declares one bridge network, the containers, their volumes, connectors and generated passwords", () => {
    const containers = ofType(resources, types.container)
      .map((r) => r.name)
      .sort();
    expect(containers).toEqual(
      ["connect-1", "console", "crawler", "kafka-1", "mariadb", "spark-master", "spark-worker-1", "spark-worker-2"].map(
        (h) => `bigdata-dev-${h}`,
      ),
    );
    expect(
      ofType(resources, types.volume)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["bigdata-dev-connect-1-sink", "bigdata-dev-kafka-1-data", "bigdata-dev-mariadb-data"]);
    const networks = ofType(resources, types.network);
    expect(networks).toHaveLength(1);
    expect(networks[0].inputs).toMatchObject({ name: "bigdata-dev-net", driver: "bridge" });
    expect(
      ofType(resources, types.connector)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["web-crawler-test-file-sink", "web-crawler-test-source"]);
    // The three database passwords and the console's action token.
    expect(ofType(resources, types.password)).toHaveLength(4);
    expect(ofType(resources, types.service)).toHaveLength(0);
  });

  test("every container joins the platform network under its stable name", () => {
    for (const c of ofType(resources, types.container)) {
      const networks = c.inputs.networksAdvanced as { name: string; aliases: string[] }[];
      expect(networks).toHaveLength(1);
      expect(networks[0].name).toBe("bigdata-dev-net");
      expect(networks[0].aliases).toContain(c.inputs.hostname);
    }
    expect((container("spark-worker-2").inputs.networksAdvanced as { aliases: string[] }[])[0].aliases).toEqual([
      "spark-worker-2",
      "spark-worker",
    ]);
  });

  test("uses the locally built images", () => {
    expect(container("mariadb").inputs.image).toBe("bigdata-local/mariadb:10.11");
    expect(container("kafka-1").inputs.image).toMatch(/^bigdata-local\/kafka:4\./);
    expect(container("connect-1").inputs.image).toMatch(/^bigdata-local\/kafka-connect:4\./);
    expect(container("spark-master").inputs.image).toMatch(/^bigdata-local\/spark:4\./);
    expect(container("crawler").inputs.image).toMatch(/^bigdata-local\/crawler:/);
  });

  test("publishes only the documented ports, on loopback", () => {
    const published = ofType(resources, types.container).flatMap((c) =>
      ((c.inputs.ports as { internal: number; external?: number; ip?: string }[]) ?? []).map(
        (p) => `${c.inputs.hostname} ${p.ip}:${p.external}->${p.internal}`,
      ),
    );
    expect(published.sort()).toEqual([
      "connect-1 127.0.0.1:8083->8083",
      "console 127.0.0.1:8000->8080",
      "console 127.0.0.1:8003->8081",
      "kafka-1 127.0.0.1:19092->19092",
      "mariadb 127.0.0.1:3306->3306",
      "spark-master 127.0.0.1:8080->8080",
    ]);
  });

  test("waits for every service container's healthcheck", () => {
    for (const c of ofType(resources, types.container)) {
      expect(c.inputs.wait).toBe(true);
      expect((c.inputs.healthcheck as { tests: string[] }).tests[0]).toBe("CMD-SHELL");
    }
    expect((container("mariadb").inputs.healthcheck as { tests: string[] }).tests[1]).toBe("healthcheck.sh --connect --innodb_initialized");
  });

  test("runs Kafka as one combined KRaft node with an explicit heap and its own listeners", () => {
    const kafka = container("kafka-1");
    expect(envOf(kafka).KAFKA_HEAP_OPTS).toBe("-Xms512m -Xmx512m");
    expect(envOf(kafka).KAFKA_CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const props = upload(kafka, "/etc/kafka/server.properties");
    expect(props).toContain("process.roles=broker,controller\n");
    expect(props).toContain("controller.quorum.voters=1@kafka-1:9093\n");
    expect(props).toContain("advertised.listeners=INTERNAL://kafka-1:9092,EXTERNAL://localhost:19092\n");
    expect(props).toContain("offsets.topic.replication.factor=1\n");
    expect(props).toContain("log.dirs=/var/lib/kafka/data\n");
    expect(kafka.inputs.volumes).toEqual([{ volumeName: "bigdata-dev-kafka-1-data", containerPath: "/var/lib/kafka/data" }]);
  });

  test("configures MariaDB for change data capture", () => {
    const db = container("mariadb");
    expect(db.inputs.command).toEqual(
      expect.arrayContaining(["--log-bin=mysqld-bin", "--binlog-format=ROW", "--binlog-row-image=FULL", "--server-id=1"]),
    );
    expect(envOf(db)).toMatchObject({ MARIADB_DATABASE: "testdb", MARIADB_USER: "crawler", MARIADB_CDC_USER: "cdc" });
    expect(upload(db, "/docker-entrypoint-initdb.d/10-schema.sql")).toBe(
      "USE `testdb`;\nCREATE TABLE IF NOT EXISTS `test` (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY);",
    );
    expect(upload(db, "/docker-entrypoint-initdb.d/20-cdc-user.sh")).toContain(
      "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.*",
    );
    expect(db.secretInputs).toEqual(["envs"]);
    expect(envOf(db).MARIADB_PASSWORD).toBe("mock-generated-password");
    // The password reaches the script through the environment, never through the file.
    expect(upload(db, "/docker-entrypoint-initdb.d/20-cdc-user.sh")).not.toContain("mock-generated-password");
  });

  test("configures Connect with the plugin path and internal topics sized for one broker", () => {
    const connect = container("connect-1");
    const props = upload(connect, "/etc/kafka-connect/connect-distributed.properties");
    expect(props).toContain("bootstrap.servers=kafka-1:9092\n");
    expect(props).toContain("plugin.path=/opt/kafka/connect-plugins\n");
    expect(props).toContain("config.storage.replication.factor=1\n");
    expect(connect.inputs.volumes).toEqual([{ volumeName: "bigdata-dev-connect-1-sink", containerPath: "/var/lib/connect-sink" }]);
  });

  test("declares the paper's connector pair: table test → topic web-crawler-test → file", () => {
    const source = named(resources, "web-crawler-test-source").inputs;
    expect(source.connectUrl).toBe("http://localhost:8083");
    expect(source.config).toMatchObject({
      "connector.class": "io.debezium.connector.mariadb.MariaDbConnector",
      "database.hostname": "mariadb",
      "table.include.list": "testdb.test",
      "transforms.route.replacement": "web-crawler-test",
    });
    expect(source.config).not.toHaveProperty("database.password");
    expect(Object.keys(source.secretConfig as object)).toEqual(["database.password"]);
    expect(named(resources, "web-crawler-test-source").secretInputs).toEqual(["secretConfig"]);
    expect(named(resources, "web-crawler-test-file-sink").inputs.config).toEqual({
      "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector",
      "tasks.max": "1",
      file: "/var/lib/connect-sink/weather.txt",
      topics: "web-crawler-test",
    });
  });

  test("runs the console on the paper's two dashboard ports, its secrets in files, the sink read through Connect's volume", () => {
    const console = container("console");
    expect(console.inputs.image).toMatch(/^bigdata-local\/console:\d+\.\d+\.\d+$/);
    expect(envOf(console)).toEqual({
      CONSOLE_HTTP_PORT: "8080",
      CONSOLE_SECOND_HTTP_PORT: "8081",
      CONSOLE_KAFKA_BOOTSTRAP_SERVERS: "kafka-1:9092",
      CONSOLE_CONNECT_URL: "http://connect:8083",
      CONSOLE_SPARK_MASTER_URL: "http://spark-master:8080",
      CONSOLE_PIPELINE_TOPIC: "web-crawler-test",
      CONSOLE_MARIADB_HOST: "mariadb",
      CONSOLE_MARIADB_PORT: "3306",
      CONSOLE_MARIADB_DATABASE: "testdb",
      CONSOLE_MARIADB_USER: "crawler",
      CONSOLE_MARIADB_TABLE: "test",
      CONSOLE_MARIADB_PASSWORD_FILE: "/run/secrets/console-mariadb-password",
      // Pulumi.dev.yaml turns actions on; elsewhere the console is read-only by default.
      CONSOLE_ACTIONS_ENABLED: "true",
      CONSOLE_TOKEN_FILE: "/run/secrets/console-token",
      CONSOLE_SINK_FILE: "/var/lib/connect-sink/weather.txt",
    });
    // The password and the token are uploaded files of a secret input, in no environment variable.
    expect(console.secretInputs).toEqual(["uploads"]);
    expect(upload(console, "/run/secrets/console-mariadb-password")).toBe("mock-generated-password");
    expect(named(resources, "bigdata-dev-console-token").inputs).toMatchObject({ length: 32, special: false });
    expect(console.inputs.volumes).toEqual([
      { volumeName: "bigdata-dev-connect-1-sink", containerPath: "/var/lib/connect-sink", readOnly: true },
    ]);
    expect(console.inputs).toMatchObject({ cpus: "0.5", memory: 192, memorySwap: 192 });
    expect(console.dependsOn).toEqual(
      expect.arrayContaining([`${types.container}::bigdata-dev-connect-1`, `${types.volume}::bigdata-dev-connect-1-sink`]),
    );
  });

  test("charts the benchmark's Table 6 in the console when the benchmark runs, and is read-only without actionsEnabled", async () => {
    const stack = await buildStack("dev", { benchmark: { enabled: true }, dashboards: { console: { actionsEnabled: false } } });
    const console = named(stack, "bigdata-dev-console");
    // The mocked runs print no result: the table holds no rows rather than made-up ones. It travels in the environment
    // and the console's command writes it to its file at start.
    expect(envOf(console)).toMatchObject({
      CONSOLE_TABLE6_FILE: "/tmp/table6.json",
      BIGDATA_TABLE6_ROWS: "[]",
      CONSOLE_ACTIONS_ENABLED: "false",
    });
    expect([...(console.inputs.entrypoints as string[]), ...(console.inputs.command as string[])]).toEqual([
      "sh",
      "-c",
      `printf '%s' "$BIGDATA_TABLE6_ROWS" > /tmp/table6.json && exec python3 -m bigdata_console`,
    ]);
    expect(envOf(console)).not.toHaveProperty("CONSOLE_TOKEN_FILE");
    expect(stack.map((r) => r.name)).not.toContain("bigdata-dev-console-token");
    expect(envOf(container("console"))).not.toHaveProperty("CONSOLE_TABLE6_FILE");
  });

  test("Spark workers reach the master by name with the configured cores and memory", () => {
    const worker = container("spark-worker-1");
    expect((worker.inputs.command as string[]).join(" ")).toContain("--cores 1 --memory 1024m --webui-port 8081 spark://spark-master:7077");
    expect(worker.inputs.ports ?? []).toEqual([]);
    // As Docker reads them back, so an unchanged stack previews without changes.
    expect(worker.inputs).toMatchObject({ cpus: "1.0", memory: 2048, memorySwap: 2048 });
  });

  test("orders readiness: Kafka → Connect → connectors (after MariaDB) → crawler; Spark master → workers", () => {
    const deps = (name: string) => named(resources, name).dependsOn;
    expect(deps("bigdata-dev-connect-1")).toContain(`${types.container}::bigdata-dev-kafka-1`);
    expect(deps("web-crawler-test-source")).toEqual(
      expect.arrayContaining([`${types.container}::bigdata-dev-connect-1`, `${types.container}::bigdata-dev-mariadb`]),
    );
    expect(deps("web-crawler-test-file-sink")).toContain(`${types.container}::bigdata-dev-connect-1`);
    expect(deps("bigdata-dev-crawler")).toEqual(
      expect.arrayContaining([
        `${types.connector}::web-crawler-test-source`,
        `${types.connector}::web-crawler-test-file-sink`,
        `${types.container}::bigdata-dev-mariadb`,
      ]),
    );
    expect(deps("bigdata-dev-spark-worker-1")).toContain(`${types.container}::bigdata-dev-spark-master`);
  });

  test("parents every resource to a component of the platform", () => {
    for (const r of resources) {
      if (r.type === "bigdata:platform:Platform") continue;
      expect(r.parent).toBeDefined();
    }
    expect(named(resources, "bigdata-dev-kafka-1").parent).toBe("bigdata:platform:KafkaCluster::kafka");
  });
});
