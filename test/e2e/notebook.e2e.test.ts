import type { OutputMap } from "@pulumi/pulumi/automation";
import { comparableHourly, expectedHourly, hourlyFromParquet } from "./support/hourly";
import { Phases } from "./support/phases";
import { inChromium, screenshot } from "./support/browser";
import { databaseRows, insertObservations, type ObservationValues, sqlDateTime, topicSize, withDatabase } from "../../harness/pipeline";
import { docker, eventually, inContainer, leftovers, removeLeftovers, run } from "../../harness/shell";
import { repoRoot, TestStack } from "../../harness/stack";

// The notebook on a docker stack of its own: JupyterLab behind its token, and the sample notebook executed inside the
// notebook's container against the deployed cluster, its hourly aggregates equal to those computed from MariaDB's rows.
const name = "e2e-notebook";
const namePrefix = `bigdata-${name}`;
// Ports of its own: the other suites use 13306/29092/18083/18080, 23306/39092/28083/28080 (and the dev stack the defaults).
const ports = { mariadb: 53306, kafka: 59092, connect: 58083, sparkUi: 58080, notebook: 58888 };
const topic = "web-crawler-test";
const notebookContainer = `${namePrefix}-notebook`;
/** The test writer's rows: 5 locations, one row a minute over 6 hours, so the aggregates span several location-hours. */
const writerRows = 360;
const rowsToWrite: ObservationValues[] = Array.from({ length: writerRows }, (_, i) => [
  "e2e-notebook",
  `nb-station-${i % 5}`,
  sqlDateTime(Date.UTC(2021, 5, 1, 0, 0, 0) + i * 60_000),
  (i % 400) / 10 - 5,
  i % 150,
  i % 90,
  (i % 100) / 1000,
]);

interface ExecutedNotebook {
  cells: { cell_type: string; outputs?: { output_type: string; text?: string[] | string; data?: Record<string, unknown> }[] }[];
}

describe("the notebook on a docker stack, for real: JupyterLab behind its token, the sample run on the cluster", () => {
  jest.setTimeout(20 * 60 * 1000);
  const phases = new Phases(name);
  let stack: TestStack;
  let outputs: OutputMap;
  let maxId = 0;

  beforeAll(async () => {
    // What deploys the notebook builds its image (cached: about a second; scripts/bootstrap.sh builds it too).
    await phases.time("images.sh notebook", () =>
      run("bash", [`${repoRoot}/bootstrap/docker/images.sh`, "notebook"], { timeoutMs: 900_000 }),
    );
    await removeLeftovers(namePrefix);
    stack = await TestStack.create(name, "dev", {
      namePrefix,
      benchmark: { enabled: false },
      // The test writes the rows itself: a topic that stops growing makes the whole topic the compared snapshot.
      crawler: { enabled: false },
      mariadb: { port: ports.mariadb },
      kafka: { externalPortBase: ports.kafka },
      kafkaConnect: { restPort: ports.connect },
      dashboards: { sparkUi: { port: ports.sparkUi }, console: { enabled: false } },
      notebook: { enabled: true, port: ports.notebook },
    });
  });

  afterAll(() => {
    process.stdout.write(`[${name}] phases:\n${phases.summary()}\n`);
  });

  test("pulumi up deploys the notebook; its URL and secret token are stack outputs", async () => {
    outputs = await phases.time("pulumi up", () => stack.up());
    expect(outputs.notebookUrl.value).toBe(`http://localhost:${ports.notebook}/lab`);
    expect(outputs.notebookToken.secret).toBe(true);
    expect(String(outputs.notebookToken.value)).toMatch(/^[A-Za-z0-9]{32}$/);
    const running = await docker("ps", "--filter", `label=bigdata.platform/stack=${namePrefix}`, "--format", "{{.Names}}");
    expect(running.split("\n").filter(Boolean).sort()).toEqual(
      ["connect-1", "kafka-1", "mariadb", "notebook", "spark-master", "spark-worker-1", "spark-worker-2"]
        .map((c) => `${namePrefix}-${c}`)
        .sort(),
    );
  });

  test("JupyterLab answers on loopback with the token, refuses without it; the token is in no env or argv", async () => {
    const token = String(outputs.notebookToken.value);
    const base = `http://127.0.0.1:${ports.notebook}`;
    const withToken = await fetch(`${base}/api/status`, { headers: { Authorization: `token ${token}` } });
    expect(withToken.status).toBe(200);
    expect(await withToken.json()).toHaveProperty("started");
    expect((await fetch(`${base}/api/status`)).status).toBe(403);
    expect((await fetch(`${base}/api/status`, { headers: { Authorization: "token wrong" } })).status).toBe(403);
    const lab = await fetch(`${base}/lab`, { redirect: "manual" });
    expect(lab.status).toBe(302);
    expect(lab.headers.get("location")).toContain("/login");
    expect((await fetch(`${base}/lab?token=${token}`)).status).toBe(200);
    // Published on loopback only.
    expect((await docker("port", notebookContainer, "8888/tcp")).trim()).toBe(`127.0.0.1:${ports.notebook}`);
    const inspect = await docker(
      "inspect",
      "--format",
      "{{json .Config.Env}} {{json .Config.Cmd}} {{json .Config.Entrypoint}}",
      notebookContainer,
    );
    expect(inspect).not.toContain(token);
    expect(inspect).toContain("NOTEBOOK_TOKEN_FILE=/run/secrets/notebook-token");
  });

  test("in Chromium: JupyterLab asks for the token, then opens the sample notebook with its cells", async () => {
    const token = String(outputs.notebookToken.value);
    await inChromium("jupyterlab", async (page) => {
      await page.goto(`http://127.0.0.1:${ports.notebook}/lab`, { waitUntil: "load" });
      // Without the token: Jupyter's login page (its token field, and the fields that would set a password).
      expect(page.url()).toContain("/login");
      expect(await page.locator("input[type=password]").count()).toBeGreaterThanOrEqual(1);
      const started = Date.now();
      // The sample notebook's own URL (the server's default URL, where `/` leads), logged in by the token.
      await page.goto(`http://127.0.0.1:${ports.notebook}/lab/tree/samples/hourly-aggregates.ipynb?token=${token}`, { waitUntil: "load" });
      // Its tab and its cells are rendered by the app in the browser, a cell's content after the cell itself (markdown is
      // rendered asynchronously): wait for what is checked, not for the first element to appear. JupyterLab renders
      // cells as they scroll into view, and the first one is the sample's title.
      const titleCell = page
        .locator(".jp-Notebook .jp-Cell")
        .first()
        .filter({ hasText: /hourly/i });
      const tab = page.locator(".lm-TabBar-tabLabel", { hasText: "hourly-aggregates.ipynb" }).first();
      await Promise.all([titleCell.waitFor({ timeout: 120_000 }), tab.waitFor({ timeout: 120_000 })]);
      const shownMs = Date.now() - started;
      const shot = await screenshot(page, "jupyterlab-sample-notebook");
      process.stdout.write(
        `[${name}] JupyterLab in Chromium: sample notebook shown ${shownMs} ms after its URL with the token; screenshot ${shot}\n`,
      );
    });
  });

  test("the sample notebook, executed inside the notebook's container on the cluster, gives MariaDB's hourly aggregates", async () => {
    const password = String(outputs.mariadbPassword.value);
    await withDatabase(ports.mariadb, password, (conn) => insertObservations(conn, rowsToWrite));
    const table = await withDatabase(ports.mariadb, password, (conn) => databaseRows(conn));
    expect(table).toHaveLength(writerRows);
    maxId = Math.max(...table.map((r) => r.id));
    const kafka = inContainer(`${namePrefix}-kafka-1`);
    await phases.time("rows in the topic", () =>
      eventually(`${writerRows} records in ${topic}`, 180_000, async () =>
        (await topicSize(kafka, topic)) >= writerRows ? true : undefined,
      ),
    );

    const notebook = inContainer(notebookContainer);
    const output = "/tmp/e2e-hourly-aggregates.json";
    await phases.time("the sample notebook executed (nbconvert --execute, in the container)", () =>
      run(
        "docker",
        [
          "exec",
          "-e",
          `HOURLY_OUTPUT=${output}`,
          "-e",
          `HOURLY_MAX_ID=${maxId}`,
          notebookContainer,
          "jupyter",
          "nbconvert",
          "--to",
          "notebook",
          "--execute",
          "--ExecutePreprocessor.timeout=600",
          "--output-dir",
          "/tmp",
          "--output",
          "e2e-executed",
          "samples/hourly-aggregates.ipynb",
        ],
        { timeoutMs: 900_000 },
      ),
    );
    const result = JSON.parse(await notebook(["cat", output])) as {
      topic: string;
      max_id: number;
      counts: { rows_read: number; rows_valid: number; rows_dropped_total: number };
      hourly: Record<string, unknown>[];
    };
    expect(result).toMatchObject({ topic, max_id: maxId });
    expect(result.counts).toMatchObject({ rows_read: writerRows, rows_valid: writerRows, rows_dropped_total: 0 });
    const computed = result.hourly.map(hourlyFromParquet);
    const expected = expectedHourly(table.filter((r) => r.id <= maxId));
    expect(expected.length).toBe(5 * 6);
    expect(comparableHourly(computed)).toEqual(comparableHourly(expected));

    // It ran on the cluster (one executor: spark.cores.max = 1), and rendered a table and a plot.
    const executed = JSON.parse(await notebook(["cat", "/tmp/e2e-executed.ipynb"])) as ExecutedNotebook;
    const cellOutputs = executed.cells.flatMap((c) => c.outputs ?? []);
    const text = cellOutputs.map((o) => (Array.isArray(o.text) ? o.text.join("") : (o.text ?? ""))).join("");
    expect(text).toContain("master spark://spark-master:7077, 1 executor(s), spark.cores.max = 1");
    expect(cellOutputs.some((o) => o.data !== undefined && "image/png" in o.data)).toBe(true);
    expect(cellOutputs.some((o) => o.data !== undefined && "text/html" in o.data)).toBe(true);
    process.stdout.write(
      `[${name}] notebook: ${result.counts.rows_read} records read on the cluster up to id ${maxId}, ` +
        `${computed.length} location-hours equal to the aggregates computed from MariaDB\n`,
    );
  });

  test("pulumi destroy leaves no container, network or volume of the stack", async () => {
    await phases.time("pulumi destroy", () => stack.destroyAndRemove());
    expect(await leftovers(namePrefix)).toEqual([]);
  });
});
