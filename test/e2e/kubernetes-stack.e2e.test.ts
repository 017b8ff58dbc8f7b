import { arrivedAll, byId, databaseRows, type Observation, sinkRows, stageDifferences, topicRows, topicSize, withDatabase } from "./support/pipeline";
import { type ClusterTopology, driverPod, inPod, kubectl, kubectlJson, localCluster, podOf, podsOf } from "./support/kubernetes";
import { Phases } from "./support/phases";
import { eventually, printedJson, printedResult, run } from "./support/shell";
import { TestStack } from "./support/stack";

// The kubernetes target on a real three-node cluster of this machine (test/kubernetes/cluster.sh): StatefulSets,
// Deployments, Jobs and NodePort Services, deployed, checked end to end and destroyed by `pulumi`.
jest.setTimeout(45 * 60 * 1000);

const stackName = "e2e-k8s";
const namePrefix = `bigdata-${stackName}`;
const namespace = namePrefix;
const topic = "web-crawler-test";
const sinkFile = "/var/lib/connect-sink/weather.txt";
const writerRows = 300;
const benchmarkSizesMb = [20, 40];
// Node ports inside the range the fixture publishes on this machine.
const ports = { mariadb: 30010, connect: 30011, sparkUi: 30012, kafka: 30020 };

interface BenchmarkRow {
  sizeMb: number;
  rows: number;
  local: { jobSeconds: number; cores: number; executors: number };
  cluster: { jobSeconds: number; cores: number; executors: number; executorsPeakMemory?: { host: string }[] };
}

const changesOf = (summary: Record<string, number | undefined>) => Object.fromEntries(Object.entries(summary).filter(([k, n]) => k !== "same" && (n ?? 0) > 0));

describe("kubernetes target on a local three-node cluster, for real", () => {
  const phases = new Phases(stackName);
  let cluster: ClusterTopology;
  let stack: TestStack;
  let password = "";
  let snapshot: Observation[] = [];
  let benchmark: BenchmarkRow[] = [];

  beforeAll(async () => {
    cluster = await phases.time("cluster up", () => localCluster());
    // A run that died half-way leaves its namespace (and the claims in it): it goes first.
    await kubectl("delete", "namespace", namespace, "--ignore-not-found", "--wait=true", "--timeout=300s");
    const label = (l: string) => ({ [l]: "true" });
    stack = await TestStack.create(stackName, "k8s", {
      imageSet: "local",
      publicHost: cluster.nodePortHost,
      kubernetes: { namespace, serviceType: "NodePort", nodePortRange: cluster.nodePorts, storageClass: cluster.storageClass, volumeSizeGi: 1 },
      nodes: cluster.nodes.map((n) => ({ name: n.name, labels: n.labels })),
      mariadb: { port: ports.mariadb, placement: label("bigdata.data") },
      kafka: { controllers: 0, brokers: 3, heapMb: 384, defaultReplicationFactor: 3, minInsyncReplicas: 2, externalPortBase: ports.kafka, brokerPlacement: label("bigdata.kafka") },
      kafkaConnect: { workers: 1, heapMb: 384, restPort: ports.connect, internalTopicReplicationFactor: 3, placement: label("bigdata.data") },
      spark: { masterPlacement: label("bigdata.data"), workers: { count: 2, cores: 1, memoryMb: 1024, placement: label("bigdata.spark") } },
      dashboards: { sparkUi: { port: ports.sparkUi }, kafkaUi: { enabled: false } },
      crawler: { mode: "load", loadRowsPerSecond: 5, placement: label("bigdata.data") },
      benchmark: { enabled: true, sizesMb: benchmarkSizesMb, localCores: 2 },
    });
  });

  afterAll(() => {
    process.stdout.write(`[${stackName}] phases:\n${phases.summary()}\n`);
  });

  test("pulumi up from nothing: every pod Ready, connectors and all their tasks RUNNING, Table 6 read back", async () => {
    const outputs = await phases.time("pulumi up (from empty)", () => stack.up());
    expect(outputs.connectorStates.value).toEqual({ [`${topic}-source`]: "RUNNING", [`${topic}-file-sink`]: "RUNNING" });
    expect(outputs.mariadbPassword.secret).toBe(true);
    password = outputs.mariadbPassword.value as string;
    const pods = await podsOf(namespace, namePrefix);
    const running = pods.filter((p) => !p.job);
    expect(running.map((p) => p.workload).sort()).toEqual(["connect", "crawler", "kafka-1", "kafka-2", "kafka-3", "mariadb", "spark-master", "spark-worker", "spark-worker"]);
    for (const p of running) expect({ pod: p.name, ready: p.ready }).toEqual({ pod: p.name, ready: true });
    for (const p of pods.filter((q) => q.job)) expect({ pod: p.name, phase: p.phase }).toEqual({ pod: p.name, phase: "Succeeded" });
    // One broker per node, the workers on the spark nodes.
    expect(new Set(running.filter((p) => p.workload.startsWith("kafka-")).map((p) => p.node)).size).toBe(3);
    const sparkNodes = cluster.nodes.filter((n) => n.labels["bigdata.spark"] === "true").map((n) => n.name);
    for (const w of running.filter((p) => p.workload === "spark-worker")) expect(sparkNodes).toContain(w.node);
    benchmark = outputs.benchmarkTable6.value as BenchmarkRow[];
  });

  test("the benchmark ran local mode and cluster mode as Jobs; its Table 6 is a stack output", () => {
    expect(benchmark.map((r) => r.sizeMb)).toEqual(benchmarkSizesMb);
    for (const row of benchmark) {
      expect(row.local).toMatchObject({ cores: 2, executors: 1 });
      expect(row.cluster).toMatchObject({ cores: 2, executors: 2 });
      expect(new Set(row.cluster.executorsPeakMemory?.map((e) => e.host)).size).toBe(2);
      expect(row.local.jobSeconds).toBeGreaterThan(0);
      expect(row.cluster.jobSeconds).toBeGreaterThan(0);
    }
  });

  test("rows reach the topic and the sink file exactly: nothing lost, duplicated or invented", async () => {
    await withDatabase(ports.mariadb, password, async (conn) => {
      const values = Array.from({ length: writerRows }, (_, i) => ["e2e-writer", `writer-${i % 7}`, new Date(Date.UTC(2021, 4, 1) + i * 3000).toISOString().slice(0, 19).replace("T", " "), (i % 400) / 10 - 5, i % 150, i % 90, (i % 100) / 1000]);
      await conn.batch("INSERT INTO test (source, location, observed_at, temperature_c, pm10_ugm3, pm25_ugm3, ozone_ppm) VALUES (?, ?, ?, ?, ?, ?, ?)", values);
    }, cluster.nodePortHost);
    snapshot = await withDatabase(ports.mariadb, password, (conn) => databaseRows(conn), cluster.nodePortHost);
    expect(snapshot.filter((r) => r.source === "e2e-writer")).toHaveLength(writerRows);
    expect(snapshot.some((r) => r.source.startsWith("synthetic:"))).toBe(true);
    const expected = byId(snapshot);
    const kafka = inPod(namespace, (await podOf(namespace, namePrefix, "kafka-1")).name);
    const connect = inPod(namespace, (await podOf(namespace, namePrefix, "connect")).name);
    const inTopic = await phases.time("all rows in the topic", () => eventually(`the ${expected.size} rows in ${topic}`, 300_000, async () => arrivedAll(expected, await topicRows(kafka, topic))));
    const inFile = await phases.time("all rows in the sink file", () => eventually(`the ${expected.size} rows in ${sinkFile}`, 300_000, async () => arrivedAll(expected, await sinkRows(connect, sinkFile))));
    const table = byId(await withDatabase(ports.mariadb, password, (conn) => databaseRows(conn), cluster.nodePortHost));
    for (const [stage, arrived] of [["topic", inTopic], ["sink file", inFile]] as const) {
      expect({ stage, ...stageDifferences(expected, arrived, table) }).toEqual({ stage, lost: [], invented: [] });
    }
  });

  const submit = (args: string) =>
    `/opt/spark/bin/spark-submit --master spark://spark-master:7077 --conf spark.driver.host=$POD_IP --conf spark.driver.bindAddress=0.0.0.0 ` +
    `--driver-memory 512m --conf spark.executor.memory=512m ${args}`;

  test("a Spark job on the cluster (master + 2 workers) counts the topic's rows exactly", async () => {
    const last = snapshot[snapshot.length - 1].id;
    const out = await phases.time("spark-submit in cluster mode", () => driverPod(namespace, "e2e-driver", submit(`/jobs/topic_count.py --bootstrap kafka-1:9092 --topic ${topic} --max-id ${last}`)));
    const counted = printedResult<{ distinct_ids: number; min_id: number; max_id: number; executors: number }>(out, "TOPIC_COUNT");
    expect(counted).toMatchObject({ distinct_ids: snapshot.length, min_id: snapshot[0].id, max_id: last, executors: 2 });
  });

  test("the weather job reads the topic on the cluster: every record parsed", async () => {
    const output = "/var/lib/spark-data/e2e-weather-from-kafka";
    const kafka = inPod(namespace, (await podOf(namespace, namePrefix, "kafka-1")).name);
    const out = await phases.time("weather job on the topic in cluster mode", () =>
      driverPod(
        namespace,
        "e2e-weather-driver",
        `${submit(`/jobs/weather_job.py --kafka-bootstrap kafka-1:9092 --topic ${topic} --output ${output}`)} && /opt/spark/bin/spark-submit --master local[1] --driver-memory 512m /jobs/parquet_rows.py ${output}/hourly writer-`,
        { name: "spark-data", mountPath: "/var/lib/spark-data" },
      ),
    );
    const summary = printedResult<{ rows_read: number; rows_valid: number; rows_dropped_total: number; input: { kind: string }; executors: number }>(out, "WEATHER_JOB_SUMMARY");
    expect(summary.input.kind).toBe("kafka");
    expect(summary.executors).toBe(2);
    expect(summary.rows_read).toBeGreaterThanOrEqual(snapshot.length);
    expect(summary.rows_read).toBeLessThanOrEqual(await topicSize(kafka, topic));
    expect(summary.rows_valid + summary.rows_dropped_total).toBe(summary.rows_read);
    const written = printedJson<{ location: string }>(out, "PARQUET_ROW");
    expect(new Set(written.map((r) => r.location))).toEqual(new Set(Array.from({ length: 7 }, (_, i) => `writer-${i}`)));
  });

  test("a second preview reports no changes", async () => {
    await phases.time("pulumi preview (unchanged)", () => stack.preview({ expectNoChanges: true }));
  });

  test("Spark workers 2 → 3 previews as that change (and the cluster-mode run again) and applies", async () => {
    stack.updateConfig({ spark: { workers: { count: 3 } } });
    const preview = await phases.time("preview of 3 workers", () => stack.preview());
    // The workers' Deployment is updated; the cluster-mode Job and the logs read from it are replaced.
    expect(changesOf(preview.changeSummary)).toEqual({ update: 1, replace: 2 });
    const scaled = await phases.time("pulumi up (3 workers)", () => stack.up());
    const master = await eventually("3 alive workers", 180_000, async () => {
      const status = JSON.parse((await run("curl", ["-fsS", `http://${cluster.nodePortHost}:${ports.sparkUi}/json/`])).stdout) as { aliveworkers: number };
      return status.aliveworkers === 3 ? status : undefined;
    });
    expect(master.aliveworkers).toBe(3);
    const rerun = scaled.benchmarkTable6.value as BenchmarkRow[];
    expect(rerun.map((r) => r.cluster.executors)).toEqual(benchmarkSizesMb.map(() => 3));
    expect(rerun.map((r) => r.local)).toEqual(benchmark.map((r) => r.local));
  });

  test("pulumi destroy leaves no object behind: namespace, claims and volumes included", async () => {
    await phases.time("pulumi destroy", () => stack.destroyAndRemove());
    const namespaces = await kubectlJson<{ items: { metadata: { name: string } }[] }>("get", "namespaces");
    expect(namespaces.items.map((n) => n.metadata.name)).not.toContain(namespace);
    const volumes = await eventually("the stack's PersistentVolumes to be deleted", 180_000, async () => {
      const pvs = await kubectlJson<{ items: { metadata: { name: string }; spec: { claimRef?: { namespace?: string } } }[] }>("get", "pv");
      const ours = pvs.items.filter((pv) => pv.spec.claimRef?.namespace === namespace).map((pv) => pv.metadata.name);
      return ours.length === 0 ? ours : undefined;
    });
    expect(volumes).toEqual([]);
  });
});
