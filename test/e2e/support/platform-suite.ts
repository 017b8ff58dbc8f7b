import * as path from "path";
import { readImageVersions } from "../../../config/images";
import { comparableHourly, expectedHourly, hourlyFromParquet } from "./hourly";
import {
  arrivedAll,
  byId,
  databaseRows,
  insertObservations,
  type Observation,
  sinkRows,
  stageDifferences,
  topicRows,
  topicSize,
  withDatabase,
  writerObservations,
} from "../../../harness/pipeline";
import { Phases } from "./phases";
import { type ConsoleConnectors, type ConsoleOverview, consoleClient } from "./console-api";
import { imageRendered, inChromium, runningAgain, screenshot, screenshotDir, shownNumber, shownStates, timedVisit } from "./browser";
import { devStackPolicyConfig, driftReport, pipelineScript } from "./pipeline-script";
import {
  containerOf,
  docker,
  eventually,
  inContainer,
  leftovers,
  printedJson,
  printedResult,
  removeLeftovers,
  run,
} from "../../../harness/shell";
import { deepMerge, repoRoot, TestStack } from "../../../harness/stack";

export interface SuiteOptions {
  /** Stack name; also gives the name prefix `bigdata-<name>`. */
  readonly stack: string;
  /** Committed stack file the test stack starts from. */
  readonly baseStack: string;
  /** Config overrides on top of it (without the `bigdata:` namespace). */
  readonly overrides: () => Promise<Record<string, unknown>>;
  /** What enabling the crawler creates on this target (its component plus the target's resources). */
  readonly crawlerCreates: number;
  /** The preview's change summary for Spark workers 2 → 3 on this target (the benchmark's cluster run is replaced too). */
  /**
   * The preview's change summary for Spark workers 2 → 3, with and without the console's update: its Table 6 (in its
   * environment) is unknown until the benchmark's new run, and a provider shows an unknown element of a set (docker's
   * `envs`) as no change, while it shows one of a map or list as an update.
   */
  readonly scaleChange: readonly Record<string, number>[];
  /**
   * Where workers are replicas of one service: sets their count by hand, around the program (`docker service scale`),
   * so that the drift check must name the workers and apply must scale them back. Absent on the docker target, whose
   * workers are containers (removing one by hand is the pipeline suite's "container removed" drift).
   */
  readonly scaleWorkersByHand?: (workerService: string, replicas: number) => Promise<unknown>;
  /** The workers' resource as the drift report names it, e.g. docker:index/service:Service. */
  readonly workerResourceType?: string;
  /** Policies the test stack breaks by design, lowered to advisory for the pipeline's apply (e.g. one broker on a swarm). */
  readonly advisoryPolicies?: readonly string[];
  /** Whether the console counts the sink file's lines (where the target lets it mount Connect's volume). */
  readonly consoleCountsSink: boolean;
  /** Also drive the console in Debian's Chromium: every page, shown counts, a confirmed connector restart, screenshots. */
  readonly browser?: boolean;
}

/** Small datasets: the e2e proves the benchmark runs and reruns correctly, `npm run bench:spark` measures it. */
const benchmarkSizesMb = [20, 40];

interface BenchmarkRow {
  sizeMb: number;
  rows: number;
  validRows: number;
  bytes: number;
  speedUp: number;
  local: { wallSeconds: number; jobSeconds: number; cores: number; executors: number; mbPerSecondPerCore: number };
  cluster: {
    wallSeconds: number;
    jobSeconds: number;
    cores: number;
    executors: number;
    mbPerSecondPerCore: number;
    executorsPeakMemory?: { host: string }[];
  };
}

const ports = { mariadb: 13306, kafka: 29092, connect: 18083, sparkUi: 18080, consoleTopics: 18000, consoleConnect: 18003 };
const topic = "web-crawler-test";
const sinkFile = "/var/lib/connect-sink/weather.txt";
const stations = ["seoul-gangnam", "seoul-jongno", "seoul-mapo"];
const writerRows = 300;

/** A preview's changes, without the unchanged. */
const changesOf = (summary: Record<string, number | undefined>) =>
  Object.fromEntries(Object.entries(summary).filter(([k, n]) => k !== "same" && (n ?? 0) > 0));

/**
 * The platform end to end, from nothing: deploy, rows through every stage with exact counts, a Spark
 * job on the cluster, no-change preview, a one-change update, and a destroy that leaves nothing.
 */
export function platformSuite(opts: SuiteOptions): void {
  // Real deployments: a step may start several JVMs on two cores.
  jest.setTimeout(30 * 60 * 1000);
  const namePrefix = `bigdata-${opts.stack}`;
  const network = `${namePrefix}-net`;
  const fixture = `${namePrefix}-weather-fixture`;
  const versions = readImageVersions();
  const crawlerImage = `bigdata-local/crawler:${versions.crawler}`;
  const sparkImage = `bigdata-local/spark:${versions.spark}`;
  const phases = new Phases(opts.stack);
  let stack: TestStack;
  let password = "";
  let snapshot: Observation[] = [];
  let benchmark: BenchmarkRow[] = [];
  let consoleToken = "";

  /**
   * A Spark driver container on the stack network (executors connect back to it by its name), with jobs/ at
   * /jobs: `commands[0]` is spark-submit's arguments after the cluster's master and memory settings; any
   * further commands run after it in the same container, each only if the one before succeeded.
   */
  function sparkDriver(name: string, mounts: readonly string[], commands: readonly string[]) {
    const driver = `${namePrefix}-${name}`;
    const [submitArgs, ...then] = commands;
    const submit =
      `/opt/spark/bin/spark-submit --master spark://spark-master:7077 --conf spark.driver.host=${driver} --driver-memory 512m ` +
      `--conf spark.executor.memory=512m ${submitArgs}`;
    return run(
      "docker",
      [
        "run",
        "--rm",
        "--name",
        driver,
        "--hostname",
        driver,
        "--network",
        network,
        "-v",
        `${path.join(repoRoot, "jobs")}:/jobs:ro`,
        ...mounts.flatMap((m) => ["-v", m]),
        "--entrypoint",
        "bash",
        sparkImage,
        "-c",
        [submit, ...then].join(" && "),
      ],
      { timeoutMs: 600_000 },
    );
  }

  /** The Spark master's status once it counts `count` alive workers (a worker that left takes its heartbeat to go). */
  const aliveWorkers = (count: number) =>
    eventually(`${count} alive workers`, 180_000, async () => {
      const { stdout } = await run("curl", ["-fsS", `http://127.0.0.1:${ports.sparkUi}/json/`]);
      const status = JSON.parse(stdout) as { aliveworkers: number };
      return status.aliveworkers === count ? status : undefined;
    });

  beforeAll(async () => {
    // A run that died half-way must not make this one fail: clean what it left.
    await docker("rm", "-f", fixture).catch(() => "");
    await removeLeftovers(namePrefix);
    stack = await TestStack.create(
      opts.stack,
      opts.baseStack,
      deepMerge(await opts.overrides(), {
        mariadb: { port: ports.mariadb },
        kafka: { externalPortBase: ports.kafka },
        kafkaConnect: { restPort: ports.connect },
        dashboards: {
          sparkUi: { port: ports.sparkUi },
          console: { topicsPort: ports.consoleTopics, connectPort: ports.consoleConnect },
        },
        // Local cores fixed, so that scaling the workers reruns the cluster-mode run only.
        benchmark: { enabled: true, sizesMb: benchmarkSizesMb, localCores: 2 },
        // First without the crawler: its fixture site can join the network only once the network exists.
        crawler: {
          enabled: false,
          mode: "crawl",
          sources: [
            ...stations.map((s) => ({
              name: s,
              url: `http://weather-fixture:8080/weather/${s}`,
              intervalSeconds: 3,
              parser: "weather-portal",
            })),
            {
              name: "broken-garbage",
              url: "http://weather-fixture:8080/broken/garbage/seoul-mapo",
              intervalSeconds: 3,
              parser: "weather-portal",
            },
          ],
        },
      }),
    );
  });

  afterAll(() => {
    process.stdout.write(`[${opts.stack}] phases:\n${phases.summary()}\n`);
  });

  test("pulumi up from nothing: every service healthy, connectors and all their tasks RUNNING", async () => {
    const outputs = await phases.time("pulumi up (from empty)", () => stack.up());
    expect(outputs.connectorStates.value).toEqual({ [`${topic}-source`]: "RUNNING", [`${topic}-file-sink`]: "RUNNING" });
    expect(outputs.topics.value).toEqual([topic]);
    expect(outputs.mariadbPassword.secret).toBe(true);
    password = outputs.mariadbPassword.value as string;
    const statuses = (await docker("ps", "--filter", `label=bigdata.platform/stack=${namePrefix}`, "--format", "{{.Status}}"))
      .split("\n")
      .filter(Boolean);
    expect(statuses.length).toBeGreaterThanOrEqual(6);
    for (const s of statuses) expect(s).toContain("(healthy)");
    benchmark = outputs.benchmarkTable6.value as BenchmarkRow[];
    expect(outputs.consoleToken.secret).toBe(true);
    consoleToken = outputs.consoleToken.value as string;
  });

  test("the benchmark ran local mode and cluster mode on the same data; its Table 6 is a stack output", () => {
    expect(benchmark.map((r) => r.sizeMb)).toEqual(benchmarkSizesMb);
    for (const row of benchmark) {
      // The runner already checked each run's counts against the dataset's manifest.
      expect(row.bytes / 1e6).toBeGreaterThan(row.sizeMb * 0.98);
      expect(row.bytes / 1e6).toBeLessThan(row.sizeMb * 1.02);
      expect(row.validRows).toBeLessThan(row.rows);
      expect(row.local).toMatchObject({ cores: 2, executors: 1 });
      expect(row.cluster).toMatchObject({ cores: 2, executors: 2 });
      expect(new Set(row.cluster.executorsPeakMemory?.map((e) => e.host)).size).toBe(2);
      for (const mode of [row.local, row.cluster]) {
        expect(mode.jobSeconds).toBeGreaterThan(0);
        expect(mode.wallSeconds).toBeGreaterThan(mode.jobSeconds);
        expect(mode.mbPerSecondPerCore).toBeGreaterThan(0);
      }
      expect(row.speedUp).toBeCloseTo(row.local.jobSeconds / row.cluster.jobSeconds, 1);
    }
    process.stdout.write(
      `[${opts.stack}] benchmark: ${JSON.stringify(benchmark.map((r) => ({ mb: r.sizeMb, rows: r.rows, local_s: r.local.jobSeconds, cluster_s: r.cluster.jobSeconds })))}\n`,
    );
  });

  test("the crawler, added as a one-resource change, crawls the fixture site into MariaDB", async () => {
    await docker(
      "run",
      "-d",
      "--name",
      fixture,
      "--label",
      `bigdata.platform/test=${namePrefix}`,
      "--network",
      network,
      "--network-alias",
      "weather-fixture",
      "--entrypoint",
      "node",
      crawlerImage,
      "dist/fixtures/server.js",
      "--port",
      "8080",
      "--host",
      "0.0.0.0",
    );
    stack.updateConfig({ crawler: { enabled: true } });
    const preview = await phases.time("preview of enabling the crawler", () => stack.preview());
    expect(changesOf(preview.changeSummary)).toEqual({ create: opts.crawlerCreates });
    await phases.time("pulumi up (crawler)", () => stack.up());
    const crawled = await phases.time("first crawled rows", () =>
      eventually("rows from every fixture station", 180_000, () =>
        withDatabase(ports.mariadb, password, async (conn) => {
          const rows = await databaseRows(conn);
          return stations.every((s) => rows.some((r) => r.source === s)) ? rows : undefined;
        }),
      ),
    );
    expect(crawled.some((r) => r.source === "broken-garbage")).toBe(false);
  });

  test("rows reach the topic and the sink file exactly: nothing lost, duplicated or invented", async () => {
    await withDatabase(ports.mariadb, password, (conn) => insertObservations(conn, writerObservations(writerRows)));
    // The crawler keeps writing (and on swarm a stopped task is simply replaced), so the check does not
    // freeze the table: every row of a snapshot must arrive unchanged (nothing lost), and everything that
    // arrived must be a row of the table, unchanged (nothing invented).
    snapshot = await withDatabase(ports.mariadb, password, (conn) => databaseRows(conn));
    expect(snapshot.filter((r) => r.source === "e2e-writer")).toHaveLength(writerRows);
    const expected = byId(snapshot);
    const kafka = inContainer(await containerOf(namePrefix, "kafka-1"));
    const connect = inContainer(await containerOf(namePrefix, "connect"));
    const inTopic = await phases.time("all rows in the topic", () =>
      eventually(`the ${expected.size} snapshot rows in ${topic}`, 180_000, async () =>
        arrivedAll(expected, await topicRows(kafka, topic)),
      ),
    );
    const inFile = await phases.time("all rows in the sink file", () =>
      eventually(`the ${expected.size} snapshot rows in ${sinkFile}`, 180_000, async () =>
        arrivedAll(expected, await sinkRows(connect, sinkFile)),
      ),
    );
    const table = byId(await withDatabase(ports.mariadb, password, (conn) => databaseRows(conn)));
    for (const [stage, arrived] of [
      ["topic", inTopic],
      ["sink file", inFile],
    ] as const) {
      expect({ stage, ...stageDifferences(expected, arrived, table) }).toEqual({ stage, lost: [], invented: [] });
    }
    process.stdout.write(
      `[${opts.stack}] ${expected.size} snapshot rows (${expected.size - writerRows} crawled, ${writerRows} by the test) all in the topic and the sink file; ` +
        `${inTopic.size} topic rows and ${inFile.size} file rows all in the table\n`,
    );
  });

  test("the console answers on both ports with the real counts, connector states, topic and Table 6", async () => {
    const topics = consoleClient("127.0.0.1", ports.consoleTopics);
    const connect = consoleClient("127.0.0.1", ports.consoleConnect);
    // The crawler keeps writing: the console's row count must lie between two counts of our own around its request.
    const before = await withDatabase(ports.mariadb, password, (conn) => databaseRows(conn));
    const overview = (await (await topics("/api/overview")).json()) as ConsoleOverview;
    const after = await withDatabase(ports.mariadb, password, (conn) => databaseRows(conn));
    expect(overview.unreachable).toEqual([]);
    expect(overview.spark.ok).toBe(true);
    const p = overview.pipeline;
    expect(p.topic).toBe(topic);
    expect(p.mariadb_rows).toBeGreaterThanOrEqual(before.length);
    expect(p.mariadb_rows).toBeLessThanOrEqual(after.length);
    // Every snapshot row is in the topic (the test before proved it), and the topic holds nothing but table rows.
    expect(p.topic_records).toBeGreaterThanOrEqual(snapshot.length);
    expect(p.topic_records).toBeLessThanOrEqual(after.length);
    if (opts.consoleCountsSink) {
      expect(p.sink_lines).toBeGreaterThanOrEqual(snapshot.length);
      expect(p.sink_lines).toBeLessThanOrEqual(after.length);
    } else {
      expect(p.sink_lines).toBeNull();
    }
    // Table 6 as the benchmark's stack output has it, one row per size and mode.
    const charted = overview.table6.rows.map((r) => `${r.size_mb} ${r.mode} ${r.job_s}`).sort();
    const stated = benchmark
      .flatMap((r) => [`${r.sizeMb} local ${r.local.jobSeconds}`, `${r.sizeMb} cluster ${r.cluster.jobSeconds}`])
      .sort();
    expect(charted).toEqual(stated);
    const chart = await topics("/chart/table6.svg");
    expect(chart.headers.get("content-type")).toContain("image/svg+xml");

    const connectors = (await (await connect("/api/connectors")).json()) as ConsoleConnectors;
    expect(connectors.connect.data.map((c) => [c.name, c.state, c.tasks.map((t) => t.state)]).sort()).toEqual([
      [`${topic}-file-sink`, "RUNNING", ["RUNNING"]],
      [`${topic}-source`, "RUNNING", ["RUNNING"]],
    ]);
    const topicList = (await (await topics("/api/topics")).json()) as { kafka: { data: { topics: { name: string; records: number }[] } } };
    expect(topicList.kafka.data.topics.find((t) => t.name === topic)?.records).toBeGreaterThanOrEqual(snapshot.length);
    // The pages themselves: the topics page on the topics port, the Connect page on the Connect port.
    expect(await (await topics("/topics")).text()).toContain(topic);
    expect(await (await connect("/connect")).text()).toContain(`${topic}-source`);
    const last = (await (await topics(`/api/topics/${topic}/messages?n=3`)).json()) as {
      kafka: { data: { value: { kind: string; text: string } }[] };
    };
    expect(last.kafka.data).toHaveLength(3);
    for (const m of last.kafka.data) expect(JSON.parse(m.value.text)).toHaveProperty("source");
    expect((await topics(`/topics/${topic}?n=3`)).status).toBe(200);
  });

  (opts.browser ? test : test.skip)(
    "in Chromium: every console page loads and shows the real counts and states; a confirmed restart brings the sink back",
    async () => {
      await inChromium("console", async (page) => {
        const overviewUrl = `http://127.0.0.1:${ports.consoleTopics}/`;
        const connectUrl = `http://127.0.0.1:${ports.consoleConnect}/connect`;
        const loads: Record<string, number> = {};
        const shots: string[] = [];

        // The overview's row count lies between two counts of our own around the page load.
        const before = await withDatabase(ports.mariadb, password, (conn) => databaseRows(conn));
        loads.overview = await timedVisit(page, overviewUrl);
        const after = await withDatabase(ports.mariadb, password, (conn) => databaseRows(conn));
        const count = (stage: string) => page.locator("tr", { hasText: stage }).locator("td.n").first().textContent();
        const rows = shownNumber(await count("MariaDB rows"));
        expect(rows).toBeGreaterThanOrEqual(before.length);
        expect(rows).toBeLessThanOrEqual(after.length);
        expect(shownNumber(await count("topic records"))).toBeGreaterThanOrEqual(snapshot.length);
        expect(shownNumber(await count("sink file lines"))).toBeGreaterThanOrEqual(snapshot.length);
        // The Table 6 chart is an image the browser rendered, not a broken link.
        expect(await imageRendered(page, "img.chart")).toBe(true);
        expect(await page.locator("[role=alert]").count()).toBe(0);
        shots.push(await screenshot(page, "overview"));

        loads.topics = await timedVisit(page, `http://127.0.0.1:${ports.consoleTopics}/topics`);
        expect(await page.locator("body").textContent()).toContain(topic);
        shots.push(await screenshot(page, "topics"));
        loads.messages = await timedVisit(page, `http://127.0.0.1:${ports.consoleTopics}/topics/${topic}?n=5`);
        expect(await page.locator("pre").count()).toBeGreaterThanOrEqual(5);
        shots.push(await screenshot(page, "topic-messages"));

        loads.connect = await timedVisit(page, connectUrl);
        for (const c of [`${topic}-source`, `${topic}-file-sink`]) expect(await shownStates(page, c)).toEqual(["RUNNING", "RUNNING"]);
        shots.push(await screenshot(page, "connect"));

        // A wrong token is refused and changes nothing.
        const sink = `${topic}-file-sink`;
        const section = page.locator("section.connector", { has: page.locator("h2", { hasText: sink }) });
        await section.getByRole("link", { name: "restart…" }).click();
        await page.getByLabel("Action token").fill("not-the-token-at-all");
        await page.getByRole("button", { name: `Yes, restart ${sink}` }).click();
        expect(await page.locator("body").textContent()).toMatch(/token/i);
        shots.push(await screenshot(page, "restart-refused"));

        await timedVisit(page, connectUrl);
        await section.getByRole("link", { name: "restart…" }).click();
        shots.push(await screenshot(page, "restart-confirm"));
        await page.getByLabel("Action token").fill(consoleToken);
        await page.getByRole("button", { name: `Yes, restart ${sink}` }).click();
        await page.waitForURL(/\/connect\?/);
        expect(await page.locator("[role=status]").textContent()).toMatch(/restart/i);
        shots.push(await screenshot(page, "restart-done"));
        await runningAgain(page, sink);
        shots.push(await screenshot(page, "restarted-running"));

        process.stdout.write(
          `[${opts.stack}] console in Chromium: load ms ${JSON.stringify(loads)}; screenshots in ${path.relative(repoRoot, screenshotDir)}: ${shots.join(", ")}\n`,
        );
      });
    },
  );

  test("a Spark job on the cluster (master + 2 workers) counts the topic's rows exactly", async () => {
    const { stdout } = await phases.time("spark-submit in cluster mode", () =>
      sparkDriver(
        "e2e-driver",
        [],
        [`/jobs/topic_count.py --bootstrap kafka-1:9092 --topic ${topic} --max-id ${snapshot[snapshot.length - 1].id}`],
      ),
    );
    const counted = printedResult<{ distinct_ids: number; min_id: number; max_id: number; executors: number }>(stdout, "TOPIC_COUNT");
    expect(counted.distinct_ids).toBe(snapshot.length);
    expect(counted.min_id).toBe(snapshot[0].id);
    expect(counted.max_id).toBe(snapshot[snapshot.length - 1].id);
    expect(counted.executors).toBe(2);
  });

  test("the weather job reads the topic on the cluster: every record parsed, the test's rows aggregated exactly", async () => {
    const output = "/var/lib/spark-data/e2e-weather-from-kafka";
    const kafka = inContainer(await containerOf(namePrefix, "kafka-1"));
    // Executors write the Parquet parts, the driver commits them: both see the stack's shared Spark volume.
    const { stdout } = await phases.time("weather job on the topic in cluster mode, then its output read back", () =>
      sparkDriver(
        "e2e-weather-driver",
        [`${path.join(repoRoot, "test", "e2e", "spark")}:/check:ro`, `${namePrefix}-spark-data:/var/lib/spark-data`],
        [
          `/jobs/weather_job.py --kafka-bootstrap kafka-1:9092 --topic ${topic} --output ${output}`,
          `/opt/spark/bin/spark-submit --master local[1] --driver-memory 512m /check/parquet_rows.py ${output}/hourly writer-`,
        ],
      ),
    );
    const topicAfter = await topicSize(kafka, topic);
    const summary = printedResult<{
      rows_read: number;
      rows_valid: number;
      rows_dropped_total: number;
      input: { kind: string };
      executors: number;
    }>(stdout, "WEATHER_JOB_SUMMARY");
    // The topic keeps growing while the job runs: it read at least the snapshot, and no more than the topic holds now.
    expect(summary.input.kind).toBe("kafka");
    expect(summary.executors).toBe(2);
    expect(summary.rows_read).toBeGreaterThanOrEqual(snapshot.length);
    expect(summary.rows_read).toBeLessThanOrEqual(topicAfter);
    expect(summary.rows_valid + summary.rows_dropped_total).toBe(summary.rows_read);
    const written = printedJson<Record<string, unknown>>(stdout, "PARQUET_ROW").map(hourlyFromParquet);
    const expected = expectedHourly(snapshot.filter((r) => r.source === "e2e-writer"));
    expect(expected.reduce((n, r) => n + r.rows, 0)).toBe(writerRows);
    expect(comparableHourly(written)).toEqual(comparableHourly(expected));
    process.stdout.write(
      `[${opts.stack}] weather job on the topic: ${summary.rows_read} records read (${summary.rows_dropped_total} dropped), ` +
        `${written.length} location-hours of the test's rows equal to the aggregates computed from MariaDB\n`,
    );
  });

  test("a second preview reports no changes", async () => {
    await phases.time("pulumi preview (unchanged)", () => stack.preview({ expectNoChanges: true }));
  });

  test("Spark workers 2 → 3 previews as that change only and applies", async () => {
    stack.updateConfig({ spark: { workers: { count: 3 } } });
    const preview = await phases.time("preview of 3 workers", () => stack.preview());
    expect(opts.scaleChange).toContainEqual(changesOf(preview.changeSummary));
    const scaled = await phases.time("pulumi up (3 workers)", () => stack.up());
    expect((await aliveWorkers(3)).aliveworkers).toBe(3);
    // Only the cluster-mode run depends on the workers: it ran again on 3 executors, local mode did not.
    const rerun = scaled.benchmarkTable6.value as BenchmarkRow[];
    expect(rerun.map((r) => r.cluster.executors)).toEqual(benchmarkSizesMb.map(() => 3));
    expect(rerun.map((r) => r.local)).toEqual(benchmark.map((r) => r.local));
    expect(rerun.map((r) => r.rows)).toEqual(benchmark.map((r) => r.rows));
  });

  const scaleByHand = opts.scaleWorkersByHand;
  if (scaleByHand) {
    test("Spark workers scaled by hand: the drift check names the workers, apply scales them back", async () => {
      const env = { PIPELINE_POLICY_CONFIG: devStackPolicyConfig(opts.stack, opts.advisoryPolicies) };
      const workers = `${namePrefix}-spark-worker`;
      await scaleByHand(workers, 1);
      await aliveWorkers(1);
      const { report, seconds } = await phases.time("drift (workers scaled by hand)", () => driftReport(opts.stack, env));
      process.stdout.write(`[${opts.stack}] drift report after scaling by hand (${seconds.toFixed(1)} s):\n${report}\n`);
      expect(report).toMatch(/^DRIFT in stack/);
      expect(report).toContain(`update ${opts.workerResourceType} \`${workers}\``);
      expect(report).toContain("1 resource(s) differ");

      const repair = await phases.time("apply (repairs the workers)", () => pipelineScript(["apply", opts.stack], env));
      expect(repair.code).toBe(0);
      expect((await aliveWorkers(3)).aliveworkers).toBe(3);
      expect((await phases.time("drift (after the repair)", () => driftReport(opts.stack, env))).report).toMatch(/^NO DRIFT in stack/);
    });
  }

  test("pulumi destroy leaves no container, service, network or volume of the stack", async () => {
    await docker("rm", "-f", fixture).catch(() => "");
    await phases.time("pulumi destroy", () => stack.destroyAndRemove());
    // Swarm removes a deleted service's task containers asynchronously.
    const left = await eventually("the stack's last containers to go", 120_000, async () => {
      const now = await leftovers(namePrefix);
      return now.length === 0 ? now : undefined;
    }).catch(() => leftovers(namePrefix));
    expect(left).toEqual([]);
  });
}
