import {
  arrivedAll,
  byId,
  connectorStatuses,
  databaseRows,
  insertObservations,
  kafkaTool,
  type Observation,
  sinkRows,
  stageDifferences,
  topicRows,
  topicSize,
  withDatabase,
  writerObservations,
} from "../../harness/pipeline";
import {
  type ClusterTopology,
  driverPod,
  inPod,
  kubectl,
  kubectlJson,
  localCluster,
  podOf,
  podsOf,
  podUid,
  rolledOut,
} from "./support/kubernetes";
import { Phases } from "./support/phases";
import { type ConsoleConnectors, type ConsoleOverview, consoleClient } from "./support/console-api";
import { devStackPolicyConfig, driftReport, pipelineScript } from "./support/pipeline-script";
import { eventually, printedJson, printedResult, run } from "../../harness/shell";
import { TestStack } from "../../harness/stack";

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
// The node ports of Pulumi.k8s-local.yaml, inside the range the cluster publishes on this machine.
const ports = { mariadb: 30001, connect: 30002, sparkUi: 30003, consoleTopics: 30004, consoleConnect: 30005 };

interface BenchmarkRow {
  sizeMb: number;
  rows: number;
  local: { jobSeconds: number; cores: number; executors: number };
  cluster: { jobSeconds: number; cores: number; executors: number; executorsPeakMemory?: { host: string }[] };
}

const changesOf = (summary: Record<string, number | undefined>) =>
  Object.fromEntries(Object.entries(summary).filter(([k, n]) => k !== "same" && (n ?? 0) > 0));

describe("kubernetes target on a local three-node cluster, for real", () => {
  const phases = new Phases(stackName);
  let cluster: ClusterTopology;
  let stack: TestStack;
  let password = "";
  let snapshot: Observation[] = [];
  let benchmark: BenchmarkRow[] = [];

  /** The Spark master's status once it counts `count` alive workers (a worker that left takes its heartbeat to go). */
  const aliveWorkers = (count: number) =>
    eventually(`${count} alive workers`, 180_000, async () => {
      const status = JSON.parse((await run("curl", ["-fsS", `http://${cluster.nodePortHost}:${ports.sparkUi}/json/`])).stdout) as {
        aliveworkers: number;
      };
      return status.aliveworkers === count ? status : undefined;
    });

  beforeAll(async () => {
    cluster = await phases.time("cluster up", () => localCluster());
    // A run that died half-way leaves its namespace (and the claims in it): it goes first.
    await kubectl("delete", "namespace", namespace, "--ignore-not-found", "--wait=true", "--timeout=300s");
    // The committed stack for this cluster, with the test's namespace and small benchmark datasets.
    stack = await TestStack.create(stackName, "k8s-local", {
      kubernetes: { namespace, nodePortRange: cluster.nodePorts, storageClass: cluster.storageClass },
      nodes: cluster.nodes.map((n) => ({ name: n.name, labels: n.labels })),
      // A run's CPU limit is also its request: a spark node of this cluster (the machine's 2 cores, one of them
      // requested by its worker) has room for a local-mode run on 1 core.
      benchmark: { enabled: true, sizesMb: benchmarkSizesMb, localCores: 1 },
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
    expect(running.map((p) => p.workload).sort()).toEqual([
      "connect",
      "console",
      "crawler",
      "kafka-1",
      "kafka-2",
      "kafka-3",
      "mariadb",
      "spark-master",
      "spark-worker",
      "spark-worker",
    ]);
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
      expect(row.local).toMatchObject({ cores: 1, executors: 1 });
      expect(row.cluster).toMatchObject({ cores: 2, executors: 2 });
      expect(new Set(row.cluster.executorsPeakMemory?.map((e) => e.host)).size).toBe(2);
      expect(row.local.jobSeconds).toBeGreaterThan(0);
      expect(row.cluster.jobSeconds).toBeGreaterThan(0);
    }
  });

  test("rows reach the topic and the sink file exactly: nothing lost, duplicated or invented", async () => {
    await withDatabase(ports.mariadb, password, (conn) => insertObservations(conn, writerObservations(writerRows)), cluster.nodePortHost);
    snapshot = await withDatabase(ports.mariadb, password, (conn) => databaseRows(conn), cluster.nodePortHost);
    expect(snapshot.filter((r) => r.source === "e2e-writer")).toHaveLength(writerRows);
    expect(snapshot.some((r) => r.source.startsWith("synthetic:"))).toBe(true);
    const expected = byId(snapshot);
    const kafka = inPod(namespace, (await podOf(namespace, namePrefix, "kafka-1")).name);
    const connect = inPod(namespace, (await podOf(namespace, namePrefix, "connect")).name);
    const inTopic = await phases.time("all rows in the topic", () =>
      eventually(`the ${expected.size} rows in ${topic}`, 300_000, async () => arrivedAll(expected, await topicRows(kafka, topic))),
    );
    const inFile = await phases.time("all rows in the sink file", () =>
      eventually(`the ${expected.size} rows in ${sinkFile}`, 300_000, async () => arrivedAll(expected, await sinkRows(connect, sinkFile))),
    );
    const table = byId(await withDatabase(ports.mariadb, password, (conn) => databaseRows(conn), cluster.nodePortHost));
    for (const [stage, arrived] of [
      ["topic", inTopic],
      ["sink file", inFile],
    ] as const) {
      expect({ stage, ...stageDifferences(expected, arrived, table) }).toEqual({ stage, lost: [], invented: [] });
    }
  });

  const submit = (args: string) =>
    `/opt/spark/bin/spark-submit --master spark://spark-master:7077 --conf spark.driver.host=$POD_IP --conf spark.driver.bindAddress=0.0.0.0 ` +
    `--driver-memory 512m --conf spark.executor.memory=512m ${args}`;

  test("a Spark job on the cluster (master + 2 workers) counts the topic's rows exactly", async () => {
    const last = snapshot[snapshot.length - 1].id;
    const out = await phases.time("spark-submit in cluster mode", () =>
      driverPod(namespace, "e2e-driver", submit(`/jobs/topic_count.py --bootstrap kafka-1:9092 --topic ${topic} --max-id ${last}`)),
    );
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
        { claim: { name: "spark-data", mountPath: "/var/lib/spark-data" } },
      ),
    );
    const summary = printedResult<{
      rows_read: number;
      rows_valid: number;
      rows_dropped_total: number;
      input: { kind: string };
      executors: number;
    }>(out, "WEATHER_JOB_SUMMARY");
    expect(summary.input.kind).toBe("kafka");
    expect(summary.executors).toBe(2);
    expect(summary.rows_read).toBeGreaterThanOrEqual(snapshot.length);
    expect(summary.rows_read).toBeLessThanOrEqual(await topicSize(kafka, topic));
    expect(summary.rows_valid + summary.rows_dropped_total).toBe(summary.rows_read);
    const written = printedJson<{ location: string }>(out, "PARQUET_ROW");
    expect(new Set(written.map((r) => r.location))).toEqual(new Set(Array.from({ length: 7 }, (_, i) => `writer-${i}`)));
  });

  /** Every row of the table now, exactly in the topic and the sink (the crawler keeps writing meanwhile). */
  async function rowsExact(what: string): Promise<number> {
    const expected = byId(await withDatabase(ports.mariadb, password, (conn) => databaseRows(conn), cluster.nodePortHost));
    const kafka = inPod(namespace, (await podOf(namespace, namePrefix, "kafka-1")).name);
    const connect = inPod(namespace, (await podOf(namespace, namePrefix, "connect")).name);
    const inTopic = await eventually(`the ${expected.size} rows in ${topic} (${what})`, 300_000, async () =>
      arrivedAll(expected, await topicRows(kafka, topic)),
    );
    const inFile = await eventually(`the ${expected.size} rows in ${sinkFile} (${what})`, 300_000, async () =>
      arrivedAll(expected, await sinkRows(connect, sinkFile)),
    );
    const table = byId(await withDatabase(ports.mariadb, password, (conn) => databaseRows(conn), cluster.nodePortHost));
    for (const [stage, arrived] of [
      ["topic", inTopic],
      ["sink file", inFile],
    ] as const) {
      expect({ what, stage, ...stageDifferences(expected, arrived, table) }).toEqual({ what, stage, lost: [], invented: [] });
    }
    return expected.size;
  }

  async function connectorsRunning(): Promise<void> {
    const states = await connectorStatuses(`http://${cluster.nodePortHost}:${ports.connect}`);
    for (const [name, s] of Object.entries(states))
      expect({ name, states: [s.status.connector.state, ...s.status.tasks.map((t) => t.state)] }).toEqual({
        name,
        states: expect.arrayContaining(["RUNNING"]),
      });
    for (const [name, s] of Object.entries(states))
      for (const t of s.status.tasks) expect({ name, task: t.state }).toEqual({ name, task: "RUNNING" });
  }

  /** Every broker's partitions fully replicated again. */
  const inSync = async () => {
    const kafka = inPod(namespace, (await podOf(namespace, namePrefix, "kafka-1")).name);
    return (
      await kafkaTool(kafka, ["kafka-topics.sh", "--bootstrap-server", "localhost:9092", "--describe", "--under-replicated-partitions"])
    ).trim() === ""
      ? true
      : undefined;
  };

  test("a broker pod deleted while rows are written comes back: every row exact, connectors RUNNING", async () => {
    const before = await podUid(namespace, "kafka-2-0");
    const started = Date.now();
    await kubectl("-n", namespace, "delete", "pod", "kafka-2-0", "--wait=false");
    await eventually("a new kafka-2 pod Ready", 600_000, async () => {
      const pod = await kubectlJson<{ metadata: { uid: string }; status: { conditions?: { type: string; status: string }[] } }>(
        "-n",
        namespace,
        "get",
        "pod",
        "kafka-2-0",
      );
      return pod.metadata.uid !== before && pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True")
        ? true
        : undefined;
    });
    const ready = (Date.now() - started) / 1000;
    await eventually("kafka-2 back in every ISR", 600_000, inSync);
    const synced = (Date.now() - started) / 1000;
    await connectorsRunning();
    const rows = await phases.time("rows exact after the broker pod came back", () => rowsExact("after deleting kafka-2-0"));
    process.stdout.write(
      `[${stackName}] broker pod deleted: Ready again after ${ready.toFixed(0)} s, in every ISR after ${synced.toFixed(0)} s; ${rows} rows exact\n`,
    );
  });

  test("draining a node with a broker and a Spark worker during a job: the job counts exactly, the pods come back", async () => {
    const pods = await podsOf(namespace, namePrefix);
    const node = cluster.nodes
      .map((n) => n.name)
      .find(
        (n) =>
          pods.some((p) => p.node === n && p.workload.startsWith("kafka-")) &&
          pods.some((p) => p.node === n && p.workload === "spark-worker"),
      );
    expect(node).toBeDefined();
    const maxId = await withDatabase(
      ports.mariadb,
      password,
      async (conn) => Number((await conn.query("SELECT MAX(id) AS m FROM test"))[0].m),
      cluster.nodePortHost,
    );
    const expectedIds = await withDatabase(
      ports.mariadb,
      password,
      async (conn) => Number((await conn.query("SELECT COUNT(*) AS n FROM test WHERE id <= ?", [maxId]))[0].n),
      cluster.nodePortHost,
    );
    // The driver stays off the drained node; the job is caught while it runs.
    const job = driverPod(
      namespace,
      "e2e-drain-driver",
      submit(`/jobs/topic_count.py --bootstrap kafka-1:9092 --topic ${topic} --max-id ${maxId}`),
      { nodeSelector: { "bigdata.data": "true" } },
    );
    await eventually("the job running on the cluster", 300_000, async () => {
      const status = JSON.parse((await run("curl", ["-fsS", `http://${cluster.nodePortHost}:${ports.sparkUi}/json/`])).stdout) as {
        activeapps: unknown[];
      };
      return status.activeapps.length > 0 ? true : undefined;
    });
    const started = Date.now();
    await kubectl("drain", node!, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=300s");
    const drained = (Date.now() - started) / 1000;
    const counted = printedResult<{ distinct_ids: number; max_id: number }>(await job, "TOPIC_COUNT");
    expect(counted).toMatchObject({ distinct_ids: expectedIds, max_id: maxId });
    const jobDone = (Date.now() - started) / 1000;
    await kubectl("uncordon", node!);
    await eventually("every pod of the stack Ready again", 600_000, async () => {
      const now = (await podsOf(namespace, namePrefix)).filter((p) => !p.job);
      return now.length === 10 && now.every((p) => p.ready) ? true : undefined;
    });
    const back = (Date.now() - started) / 1000;
    await eventually("every partition fully replicated again", 600_000, inSync);
    const synced = (Date.now() - started) / 1000;
    await connectorsRunning();
    const rows = await phases.time("rows exact after the drain", () => rowsExact(`after draining ${node}`));
    process.stdout.write(
      `[${stackName}] ${node} drained in ${drained.toFixed(0)} s during a job, which counted ${counted.distinct_ids} rows exactly ${jobDone.toFixed(0)} s after the drain began; ` +
        `uncordoned: every pod Ready after ${back.toFixed(0)} s, every ISR full after ${synced.toFixed(0)} s; ${rows} rows exact\n`,
    );
  });

  test("the console answers on both node ports: every backend reachable, connectors RUNNING, Table 6 charted", async () => {
    const topics = consoleClient(cluster.nodePortHost, ports.consoleTopics);
    const connect = consoleClient(cluster.nodePortHost, ports.consoleConnect);
    const overview = (await (await topics("/api/overview")).json()) as ConsoleOverview;
    expect(overview.unreachable).toEqual([]);
    expect(overview.pipeline.topic).toBe(topic);
    expect(overview.pipeline.mariadb_rows).toBeGreaterThanOrEqual(writerRows);
    expect(overview.pipeline.topic_records).toBeGreaterThanOrEqual(writerRows);
    // Volumes are per pod here: the console does not see the sink's file.
    expect(overview.pipeline.sink_lines).toBeNull();
    expect(overview.table6.rows.map((r) => `${r.size_mb} ${r.mode}`).sort()).toEqual(
      benchmarkSizesMb.flatMap((mb) => [`${mb} cluster`, `${mb} local`]).sort(),
    );
    const connectors = (await (await connect("/api/connectors")).json()) as ConsoleConnectors;
    expect(connectors.connect.data.map((c) => `${c.name} ${c.state}`).sort()).toEqual([
      `${topic}-file-sink RUNNING`,
      `${topic}-source RUNNING`,
    ]);
    expect(await (await connect("/connect")).text()).toContain(`${topic}-source`);
  });

  test("a second preview reports no changes", async () => {
    await phases.time("pulumi preview (unchanged)", () => stack.preview({ expectNoChanges: true }));
  });

  test("a changed Connect setting rolls its pod (its files' digest is in the pod template): the new file read, rows exact", async () => {
    const before = await podUid(namespace, "connect-0");
    // Connect's own topics exist already: a new replication factor for them changes its worker file and nothing else.
    stack.updateConfig({ kafkaConnect: { internalTopicReplicationFactor: 2 } });
    const preview = await phases.time("preview of a Connect setting", () => stack.preview());
    // Its ConfigMap (the kubernetes provider replaces a ConfigMap whose data changes: the same name deleted, then
    // created again), and its StatefulSet for the new digest in the pod template.
    expect(changesOf(preview.changeSummary)).toEqual({ replace: 1, update: 1 });
    await phases.time("pulumi up (a Connect setting; the pod rolls)", () => stack.up());
    await rolledOut(namespace);
    expect(await podUid(namespace, "connect-0")).not.toBe(before);
    const file = await inPod(namespace, "connect-0")(["cat", "/etc/kafka-connect/connect-distributed.properties"]);
    expect(file).toContain("config.storage.replication.factor=2");
    await eventually("connectors and their tasks RUNNING after the roll", 300_000, () =>
      connectorsRunning().then(
        () => true,
        () => undefined,
      ),
    );
    await phases.time("rows exact after Connect rolled", () => rowsExact("after Connect rolled"));
  });

  test("Spark workers 2 → 3 previews as that change (and the cluster-mode run again) and applies", async () => {
    stack.updateConfig({ spark: { workers: { count: 3 } } });
    const preview = await phases.time("preview of 3 workers", () => stack.preview());
    // The workers' Deployment is updated, and the console's with the new Table 6 in its environment (its pod restarts
    // with it); the cluster-mode Job and the logs read from it are replaced.
    expect([
      { update: 1, replace: 2 },
      { update: 2, replace: 2 },
    ]).toContainEqual(changesOf(preview.changeSummary));
    const scaled = await phases.time("pulumi up (3 workers)", () => stack.up());
    expect((await aliveWorkers(3)).aliveworkers).toBe(3);
    // The console's pod restarts with the new Table 6; `pulumi up` can return before it is Ready (the provider's wait
    // ended at once in a fresh-clone run of .ci/run), and a drift check's refresh reports a workload not Ready as unhealthy.
    await phases.time("every workload rolled out", () => rolledOut(namespace));
    const rerun = scaled.benchmarkTable6.value as BenchmarkRow[];
    expect(rerun.map((r) => r.cluster.executors)).toEqual(benchmarkSizesMb.map(() => 3));
    expect(rerun.map((r) => r.local)).toEqual(benchmark.map((r) => r.local));
  });

  test("Spark workers scaled by hand: the drift check names the Deployment, apply scales it back", async () => {
    const env = { PIPELINE_POLICY_CONFIG: devStackPolicyConfig(stackName) };
    await kubectl("-n", namespace, "scale", "deployment", "spark-worker", "--replicas=1");
    await aliveWorkers(1);
    const { report, seconds } = await phases.time("drift (workers scaled by hand)", () => driftReport(stackName, env));
    process.stdout.write(`[${stackName}] drift report after scaling by hand (${seconds.toFixed(1)} s):\n${report}\n`);
    expect(report).toMatch(/^DRIFT in stack/);
    expect(report).toContain(`update kubernetes:apps/v1:Deployment \`${namePrefix}-spark-worker\``);
    expect(report).toContain("1 resource(s) differ");

    const repair = await phases.time("apply (repairs the workers)", () => pipelineScript(["apply", stackName], env));
    expect(repair.code).toBe(0);
    expect((await aliveWorkers(3)).aliveworkers).toBe(3);
    expect((await phases.time("drift (after the repair)", () => driftReport(stackName, env))).report).toMatch(/^NO DRIFT in stack/);
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
