import * as fs from "fs";
import * as path from "path";
import { readImageVersions } from "../../config/images";
import {
  arrivedAll,
  byId,
  connectorStatuses,
  databaseRows,
  insertObservations,
  kafkaTool,
  type ObservationValues,
  sinkRows,
  sqlDateTime,
  stageDifferences,
  topicRows,
  topicSize,
  withDatabase,
} from "../../harness/pipeline";
import { Phases } from "./support/phases";
import {
  containerOf,
  docker,
  dockerOn,
  eventually,
  inContainer,
  leftovers,
  printedResult,
  removeLeftovers,
  run,
} from "../../harness/shell";
import { repoRoot, TestStack } from "../../harness/stack";

// The swarm stack on several real Docker hosts: Docker-in-Docker nodes on this machine joined into one
// swarm (test/swarm/multi-host.sh), brokers and Spark workers spread over them, overlay traffic crossing
// nodes, and two faults: a worker node killed mid-job, a broker node restarted while rows keep coming.

interface SwarmNode {
  name: string;
  container: string;
  address: string;
  dockerHost: string;
  role: "manager" | "worker";
}

const stackName = "e2e-multihost";
const namePrefix = `bigdata-${stackName}`;
const network = `${namePrefix}-net`;
const topic = "web-crawler-test";
const sinkFile = "/var/lib/connect-sink/weather.txt";
const ports = { mariadb: 13306, kafka: 29092, connect: 18083, sparkUi: 18080, driverUi: 4040 };
const fixture = path.join(repoRoot, "test", "swarm", "multi-host.sh");
const sparkImage = `bigdata-local/spark:${readImageVersions().spark}`;
const bulkRows = 200_000;

jest.setTimeout(40 * 60 * 1000);

describe("swarm stack on three Docker hosts, for real", () => {
  const phases = new Phases(stackName);
  let nodes: SwarmNode[] = [];
  let manager: SwarmNode;
  let stack: TestStack;
  let password = "";
  const on = (node: SwarmNode) => dockerOn(node.dockerHost);

  /** Where each running task of a service is: node names, from the manager. */
  async function taskNodes(service: string): Promise<string[]> {
    const out = await on(manager)(
      "service",
      "ps",
      "--filter",
      "desired-state=running",
      "--format",
      "{{.Node}} {{.CurrentState}}",
      `${namePrefix}-${service}`,
    );
    return out
      .split("\n")
      .filter((l) => l.includes("Running"))
      .map((l) => l.split(" ")[0])
      .sort();
  }

  /** The node and container that run a workload now. */
  async function locate(workload: string): Promise<{ node: SwarmNode; container: string }> {
    for (const node of nodes) {
      const container = await containerOf(namePrefix, workload, node.dockerHost).catch(() => undefined);
      if (container) return { node, container };
    }
    throw new Error(`no running container of ${workload} on any node`);
  }

  const database = <T>(work: Parameters<typeof withDatabase<T>>[2]) => withDatabase(ports.mariadb, password, work, manager.address);
  const sparkMaster = async () =>
    JSON.parse((await run("curl", ["-fsS", `http://${manager.address}:${ports.sparkUi}/json/`])).stdout) as SparkMasterStatus;

  async function snapshotArrives(what: string): Promise<number> {
    const snapshot = byId(await database((conn) => databaseRows(conn)));
    const kafka = await locate("kafka-1");
    const connect = await locate("connect");
    const inTopic = await eventually(`the ${snapshot.size} snapshot rows in ${topic} (${what})`, 300_000, async () =>
      arrivedAll(snapshot, await topicRows(inContainer(kafka.container, kafka.node.dockerHost), topic)),
    );
    const inFile = await eventually(`the ${snapshot.size} snapshot rows in the sink file (${what})`, 300_000, async () =>
      arrivedAll(snapshot, await sinkRows(inContainer(connect.container, connect.node.dockerHost), sinkFile)),
    );
    const table = byId(await database((conn) => databaseRows(conn)));
    for (const [stage, arrived] of [
      ["topic", inTopic],
      ["sink file", inFile],
    ] as const) {
      expect({ what, stage, ...stageDifferences(snapshot, arrived, table) }).toEqual({ what, stage, lost: [], invented: [] });
    }
    return snapshot.size;
  }

  /** spark-submit of topic_count.py in cluster mode from a driver container on the manager, on the overlay network. */
  function topicCount(
    maxId: number,
    extraConf: string[] = [],
  ): Promise<{ distinct_ids: number; records: number; min_id: number; max_id: number }> {
    const script = fs.readFileSync(path.join(repoRoot, "jobs", "topic_count.py"), "utf8");
    const conf = ["spark.driver.memory=512m", "spark.executor.memory=512m", "spark.ui.port=4040", ...extraConf]
      .map((c) => `--conf ${c}`)
      .join(" ");
    const submit =
      `cat > /tmp/topic_count.py && exec /opt/spark/bin/spark-submit --master spark://spark-master:7077 ${conf} ` +
      `--conf spark.driver.host="$(python3 -c 'import socket; print(socket.gethostbyname(socket.gethostname()))')" ` +
      `/tmp/topic_count.py --bootstrap kafka-1:9092,kafka-2:9092,kafka-3:9092 --topic ${topic} --max-id ${maxId} --min-partitions 200 --wait-executors 2`;
    return run(
      "docker",
      [
        "-H",
        manager.dockerHost,
        "run",
        "-i",
        "--rm",
        "--name",
        `${namePrefix}-driver`,
        "--label",
        `bigdata.platform/stack=${namePrefix}`,
        "--network",
        network,
        "-p",
        `${ports.driverUi}:${ports.driverUi}`,
        "--entrypoint",
        "sh",
        sparkImage,
        "-c",
        submit,
      ],
      { timeoutMs: 900_000, input: script },
    ).then(({ stdout }) => printedResult(stdout, "TOPIC_COUNT"));
  }

  /** Stages of the driver's running application, from its UI (published on the manager). */
  async function driverStages(): Promise<{ numCompleteTasks: number; numActiveTasks: number }[]> {
    const apps = JSON.parse((await run("curl", ["-fsS", `http://${manager.address}:${ports.driverUi}/api/v1/applications`])).stdout) as {
      id: string;
    }[];
    if (apps.length === 0) return [];
    return JSON.parse(
      (await run("curl", ["-fsS", `http://${manager.address}:${ports.driverUi}/api/v1/applications/${apps[0].id}/stages?status=active`]))
        .stdout,
    );
  }

  /** Rows of the table up to an id: what a job counting a snapshot must find. */
  async function rowsUpTo(id: number): Promise<number> {
    return database(async (conn) =>
      Number(((await conn.query("SELECT COUNT(*) AS n FROM test WHERE id <= ?", [id])) as { n: number }[])[0].n),
    );
  }

  /** Waits until a restarted host's engine answers and it is an active swarm node again. */
  async function backInTheSwarm(node: SwarmNode): Promise<void> {
    await eventually(`${node.name}'s engine`, 120_000, async () =>
      (await on(node)("info", "--format", "{{.Swarm.LocalNodeState}}")).trim() === "active" ? true : undefined,
    );
  }

  async function maxId(): Promise<number> {
    return database(async (conn) => Number(((await conn.query("SELECT MAX(id) AS m FROM test")) as { m: number }[])[0].m));
  }

  beforeAll(async () => {
    const up = await phases.time("multi-host swarm up (3 Docker-in-Docker nodes, images loaded)", () =>
      run("bash", [fixture, "up"], { timeoutMs: 30 * 60_000 }),
    );
    process.stdout.write(up.stderr);
    nodes = (JSON.parse(up.stdout) as { nodes: SwarmNode[] }).nodes;
    manager = nodes.find((n) => n.role === "manager")!;
    for (const node of nodes) await removeLeftovers(namePrefix, node.dockerHost);
    const labels = (n: SwarmNode) =>
      n.role === "manager" ? { "bigdata.data": "true", "bigdata.kafka": "true" } : { "bigdata.kafka": "true", "bigdata.spark": "true" };
    const data = { "bigdata.data": "true" };
    stack = await TestStack.create(
      stackName,
      "dev",
      {
        target: "swarm",
        publicHost: manager.address,
        nodes: nodes.map((n) => ({ name: n.name, labels: labels(n), address: n.address, dockerHost: n.dockerHost })),
        mariadb: { placement: data, port: ports.mariadb },
        kafka: {
          brokers: 3,
          controllers: 0,
          defaultReplicationFactor: 3,
          minInsyncReplicas: 2,
          brokerPlacement: { "bigdata.kafka": "true" },
          externalPortBase: ports.kafka,
        },
        kafkaConnect: { placement: data, restPort: ports.connect, internalTopicReplicationFactor: 3 },
        spark: { masterPlacement: data, workers: { count: 2, placement: { "bigdata.spark": "true" } } },
        crawler: { enabled: true, mode: "load", loadRowsPerSecond: 50, placement: data },
        dashboards: { sparkUi: { port: ports.sparkUi }, console: { enabled: false } },
        benchmark: { enabled: false },
      },
      { "docker:host": manager.dockerHost },
    );
  });

  afterAll(async () => {
    process.stdout.write(`[${stackName}] phases:\n${phases.summary()}\n`);
    await run("bash", [fixture, "down"], { timeoutMs: 300_000 }).catch((e: unknown) =>
      process.stdout.write(`fixture down failed: ${String(e)}\n`),
    );
  });

  test("pulumi up places brokers on every node, Spark workers on the worker nodes, the singletons by label", async () => {
    const outputs = await phases.time("pulumi up (from empty, 3 hosts)", () => stack.up());
    password = outputs.mariadbPassword.value as string;
    expect(outputs.connectorStates.value).toEqual({ [`${topic}-source`]: "RUNNING", [`${topic}-file-sink`]: "RUNNING" });
    // Each broker advertises the address of the host its port is published on.
    expect(outputs.kafkaExternalBootstrapServers.value).toBe(nodes.map((n, i) => `${n.address}:${ports.kafka + i}`).join(","));
    expect(await taskNodes("kafka-1")).toEqual(["node-1"]);
    expect(await taskNodes("kafka-2")).toEqual(["node-2"]);
    expect(await taskNodes("kafka-3")).toEqual(["node-3"]);
    expect(await taskNodes("spark-worker")).toEqual(["node-2", "node-3"]);
    for (const singleton of ["mariadb", "spark-master", "connect", "crawler"]) expect(await taskNodes(singleton)).toEqual(["node-1"]);
    const master = await eventually("2 alive Spark workers", 120_000, async () =>
      (await sparkMaster()).aliveworkers === 2 ? sparkMaster() : undefined,
    );
    expect(master.aliveworkers).toBe(2);
  });

  test("rows flow crawler → MariaDB → Kafka (3 brokers on 3 hosts) → sink file, exactly", async () => {
    await phases.time("first crawled rows", () =>
      eventually("100 crawled rows", 180_000, async () => ((await maxId()) >= 100 ? true : undefined)),
    );
    const rows = await phases.time("all rows in the topic and the sink file", () => snapshotArrives("steady state"));
    process.stdout.write(`[${stackName}] ${rows} snapshot rows all in the topic and the sink file\n`);
  });

  test("a second preview reports no changes", async () => {
    await phases.time("pulumi preview (unchanged)", () => stack.preview({ expectNoChanges: true }));
  });

  test("a Spark job in cluster mode runs executors on two hosts and counts exactly", async () => {
    // Enough rows for a job with many tasks: the test writes them in bulk.
    await phases.time(`insert ${bulkRows} rows`, () =>
      database(async (conn) => {
        for (let start = 0; start < bulkRows; start += 5000) {
          const values = Array.from({ length: 5000 }, (_, i): ObservationValues => [
            "e2e-bulk",
            `bulk-${(start + i) % 20}`,
            sqlDateTime(Date.UTC(2021, 4, 1) + (start + i) * 3000),
            20.5,
            40,
            20,
            0.03,
          ]);
          await insertObservations(conn, values);
        }
      }),
    );
    const upTo = await maxId();
    const expected = await rowsUpTo(upTo);
    const kafka = await locate("kafka-1");
    await phases.time("bulk rows in the topic", () =>
      // The end offsets gate the one full read: reading 200,000 records on every poll took a minute.
      eventually("the bulk rows in the topic", 300_000, async () => {
        if ((await topicSize(inContainer(kafka.container, kafka.node.dockerHost), topic)) < expected) return undefined;
        return (await topicRows(inContainer(kafka.container, kafka.node.dockerHost), topic)).some((r) => r.id === upTo) ? true : undefined;
      }),
    );
    const busyWorkers = new Set<string>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const status = await sparkMaster().catch(() => undefined);
        for (const w of status?.workers ?? []) if (w.coresused > 0) busyWorkers.add(w.host);
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const counted = await phases
      .time("spark-submit in cluster mode (2 hosts)", () => topicCount(upTo))
      .finally(async () => {
        watching = false;
        await watch;
      });
    expect(counted.distinct_ids).toBe(expected);
    expect(counted.max_id).toBe(upTo);
    // The master's JSON: both workers (on node-2 and node-3) had cores in use by the job.
    expect(busyWorkers.size).toBe(2);
    process.stdout.write(
      `[${stackName}] cluster job counted ${counted.distinct_ids} rows with executors on workers ${[...busyWorkers].join(", ")}\n`,
    );
  });

  test("fault: a worker host killed mid-job; the job still completes exactly, the host rejoins", async () => {
    const node3 = nodes.find((n) => n.name === "node-3")!;
    const upTo = await maxId();
    const expected = await rowsUpTo(upTo);
    // Lost executors are noticed by missed heartbeats: shorter than Spark's 120 s default, as a real job would set.
    const job = topicCount(upTo, ["spark.network.timeout=30s", "spark.network.timeoutInterval=10s", "spark.executor.heartbeatInterval=3s"]);
    // Mid-stage: some of its tasks done, others running. Polled quickly, since a stage lasts seconds.
    const deadline = Date.now() + 300_000;
    while (!(await driverStages().catch(() => [])).some((s) => s.numActiveTasks > 0 && s.numCompleteTasks > 0)) {
      if (Date.now() > deadline) throw new Error("the job never had a stage with tasks both done and running");
      await new Promise((r) => setTimeout(r, 200));
    }
    const killedAt = Date.now();
    await docker("kill", node3.container);
    const counted = await job;
    const jobRecovery = (Date.now() - killedAt) / 1000;
    expect(counted.distinct_ids).toBe(expected);
    await docker("start", node3.container);
    await backInTheSwarm(node3);
    const master = await eventually("2 alive Spark workers again", 300_000, async () =>
      (await sparkMaster()).aliveworkers === 2 ? true : undefined,
    );
    expect(master).toBe(true);
    const hostRecovery = (Date.now() - killedAt) / 1000;
    process.stdout.write(
      `[${stackName}] FAULT worker host killed mid-job: job finished ${jobRecovery.toFixed(1)} s after the kill with ${counted.distinct_ids}/${expected} rows; host back with 2 workers after ${hostRecovery.toFixed(1)} s\n`,
    );
    // The kill also took broker kafka-3 down: nothing may be lost through that either.
    await phases.time("rows exact after the worker host's death", () => snapshotArrives("after killing node-3"));
  });

  test("fault: a broker host restarted while rows keep coming; the connector resumes and no row is lost", async () => {
    const node2 = nodes.find((n) => n.name === "node-2")!;
    const before = await maxId();
    const restartedAt = Date.now();
    await docker("restart", node2.container);
    await backInTheSwarm(node2);
    const kafka = await locate("kafka-1");
    await eventually("kafka-2 back in every ISR", 600_000, async () => {
      await locate("kafka-2");
      const under = await kafkaTool(inContainer(kafka.container, kafka.node.dockerHost), [
        "kafka-topics.sh",
        "--bootstrap-server",
        "localhost:9092",
        "--describe",
        "--under-replicated-partitions",
      ]);
      return under.trim() === "" ? true : undefined;
    });
    const brokerRecovery = (Date.now() - restartedAt) / 1000;
    const states = await connectorStatuses(`http://${manager.address}:${ports.connect}`);
    for (const [name, s] of Object.entries(states))
      expect({ name, states: [s.status.connector.state, ...s.status.tasks.map((t) => t.state)] }).toEqual({
        name,
        states: expect.arrayContaining(["RUNNING"]),
      });
    for (const s of Object.values(states)) for (const t of s.status.tasks) expect(t.state).toBe("RUNNING");
    expect(await maxId()).toBeGreaterThan(before); // the crawler kept writing
    const rows = await phases.time("rows exact after the broker host's restart", () => snapshotArrives("after restarting node-2"));
    process.stdout.write(
      `[${stackName}] FAULT broker host restarted: kafka-2 back in every ISR after ${brokerRecovery.toFixed(1)} s; connectors RUNNING; ${rows} rows exact in topic and sink\n`,
    );
  });

  test("pulumi destroy leaves nothing of the stack on any host, even when a broker on a worker host is slow to stop", async () => {
    // Freeze kafka-3's processes (SIGSTOP from its host): SIGTERM then does nothing and the container goes only when
    // its 60 s stop grace period ends in a SIGKILL, longer than the docker provider's 30 s wait for a volume to be
    // free. Destroy must wait for it on node-3 instead of failing on the volume.
    const { node, container } = await locate("kafka-3");
    const pids = (await on(node)("top", container, "-eo", "pid"))
      .split("\n")
      .slice(1)
      .map((l) => l.trim())
      .filter((l) => /^\d+$/.test(l));
    expect(pids.length).toBeGreaterThan(0);
    await docker("exec", node.container, "kill", "-STOP", ...pids);
    const printed = await phases.time("pulumi destroy (kafka-3 frozen)", () => stack.destroyAndRemove());
    // The freeze held, and destroy waited for kafka-3's container on node-3 longer than a volume's own 30 s wait.
    const waited = new RegExp(`${namePrefix}-kafka-3-volumes-freed deleted \\((\\d+(?:\\.\\d+)?)s\\)`).exec(printed);
    expect(waited).not.toBeNull();
    process.stdout.write(
      `[${stackName}] destroy waited ${waited![1]} s for frozen kafka-3's container on ${node.name} before deleting its volume\n`,
    );
    expect(Number(waited![1])).toBeGreaterThan(30);
    for (const host of nodes) {
      const left = await eventually(`${host.name} to be empty`, 120_000, async () => {
        const now = await leftovers(namePrefix, host.dockerHost);
        return now.length === 0 ? now : undefined;
      }).catch(() => leftovers(namePrefix, host.dockerHost));
      expect({ node: host.name, left }).toEqual({ node: host.name, left: [] });
    }
  });
});

interface SparkMasterStatus {
  aliveworkers: number;
  workers: { host: string; state: string; coresused: number }[];
}
