import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { STATIONS } from "../src/synthetic/locations";

/**
 * Benchmark: `npm run bench`. Starts a throwaway MariaDB (test/mariadb.sh) and the fixture site as its own
 * process, then runs the compiled crawler as a third process and measures, from its /metrics and /proc:
 *   1. crawl mode: pages per second fetched, parsed and validated from the fixture site;
 *   2. load mode: rows per second written with batched multi-row inserts;
 * and the crawler's peak RSS (VmHWM) in each. Everything runs on this machine over loopback, so the crawler
 * shares the cores with MariaDB and the fixture site. Options: --seconds N (measurement window, default 15);
 * env CRAWLER_BENCH_NODE runs the crawler on another Node binary, CRAWLER_BENCH_DB_* use a running MariaDB.
 */
const PKG = join(__dirname, "..", "..");
const MAIN = join(PKG, "dist", "src", "main.js");
const FIXTURES = join(PKG, "dist", "fixtures", "server.js");
/** The V8 flags the image runs with (Dockerfile ENV NODE_OPTIONS), so the figures describe the crawler as deployed. */
function imageNodeOptions(): string {
  const dockerfile = readFileSync(join(PKG, "Dockerfile"), "utf8");
  const match = /NODE_OPTIONS="([^"]*)"/.exec(dockerfile);
  if (!match) throw new Error('Dockerfile has no NODE_OPTIONS="..."; the benchmark measures the crawler with the image\'s flags');
  return match[1] as string;
}
const NODE_OPTIONS = imageNodeOptions();
const seconds = Number(process.argv[process.argv.indexOf("--seconds") + 1] || 15) || 15;
const WARMUP_MS = 3000;

interface Db {
  env: Record<string, string>;
  stop: () => void;
}

function startDb(): Db {
  if (process.env.CRAWLER_BENCH_DB_PORT) {
    return {
      env: {
        CRAWLER_DB_HOST: process.env.CRAWLER_BENCH_DB_HOST ?? "127.0.0.1",
        CRAWLER_DB_PORT: process.env.CRAWLER_BENCH_DB_PORT,
        CRAWLER_DB_USER: process.env.CRAWLER_BENCH_DB_USER ?? "crawler",
        CRAWLER_DB_PASSWORD: process.env.CRAWLER_BENCH_DB_PASSWORD ?? "crawler-test",
        CRAWLER_DB_NAME: process.env.CRAWLER_BENCH_DB_NAME ?? "testdb",
      },
      stop: () => undefined,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "crawler-bench-mariadb-"));
  const script = join(PKG, "test", "mariadb.sh");
  const out = execFileSync("bash", [script, "start", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const v = Object.fromEntries(
    out
      .split("\n")
      .map((l) => l.split("=", 2))
      .filter((p) => p.length === 2),
  );
  return {
    env: {
      CRAWLER_DB_HOST: v.MARIADB_HOST as string,
      CRAWLER_DB_PORT: v.MARIADB_PORT as string,
      CRAWLER_DB_USER: v.MARIADB_USER as string,
      CRAWLER_DB_PASSWORD: v.MARIADB_PASSWORD as string,
      CRAWLER_DB_NAME: v.MARIADB_DATABASE as string,
    },
    stop: () => {
      execFileSync("bash", [script, "stop", dir], { stdio: "inherit" });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The crawler's Node binary: this one, or CRAWLER_BENCH_NODE (e.g. Debian bookworm's Node 18, as in the image). */
const CRAWLER_NODE = process.env.CRAWLER_BENCH_NODE || process.execPath;

/** Spawns a node script and resolves with the first JSON log line matching `msg`. */
function spawnNode(
  script: string,
  args: string[],
  env: Record<string, string>,
  msg: string,
  node = process.execPath,
): Promise<{ child: ChildProcess; line: Record<string, unknown> }> {
  const child = spawn(node, [script, ...args], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let buffer = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const l of lines) {
        try {
          const parsed = JSON.parse(l) as Record<string, unknown>;
          if (parsed.msg === msg) resolve({ child, line: parsed });
          if (parsed.level === "error") process.stderr.write(`${l}\n`);
        } catch {
          /* not a log line */
        }
      }
    });
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code} before "${msg}"`)));
  });
}

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.split(" ").pop());
  return sum;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  child.kill("SIGTERM");
  return exited;
}

const progress = (text: string) => process.stderr.write(`bench: ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Result {
  rate: number;
  peakRssMb: number;
  detail: Record<string, number>;
}

async function measure(port: number, counter: string, pid: number): Promise<Result> {
  await sleep(WARMUP_MS);
  const c0 = await metric(port, counter);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const c1 = await metric(port, counter);
  const elapsed = (performance.now() - t0) / 1000;
  return { rate: (c1 - c0) / elapsed, peakRssMb: peakRssMb(pid), detail: { counted: c1 - c0, seconds: elapsed } };
}

async function benchCrawl(db: Db, siteUrl: string): Promise<Result> {
  // 240 sources on 20 stations × 3 page kinds × 4 copies, polled every 0.25 s: ~960 pages/s offered, more than
  // the crawler can take, so the figure is its capacity. The politeness limit is lifted: the site is our own.
  const sources = [];
  for (let copy = 0; copy < 4; copy++) {
    for (const s of STATIONS) {
      sources.push({
        name: `ko-${s.id}-${copy}`,
        url: `${siteUrl}/weather/${s.id}?c=${copy}`,
        intervalSeconds: 0.25,
        parser: "weather-portal",
      });
      sources.push({
        name: `en-${s.id}-${copy}`,
        url: `${siteUrl}/en/weather/${s.id}?c=${copy}`,
        intervalSeconds: 0.25,
        parser: "weather-portal",
        utcOffset: "+09:00",
      });
      sources.push({
        name: `tbl-${s.id}-${copy}`,
        url: `${siteUrl}/station/${s.id}?c=${copy}`,
        intervalSeconds: 0.25,
        selectors: {
          observedAt: { selector: "#obs-time", attr: "data-utc" },
          location: "#stn-name",
          temperature: "#temp",
          pm10: "#pm10",
          pm25: "#pm25",
          ozone: "#o3",
        },
        units: { ozone: "ppb" },
      });
    }
  }
  const { child, line } = await spawnNode(
    MAIN,
    [],
    {
      ...db.env,
      NODE_OPTIONS,
      CRAWLER_TABLE: "bench_crawl",
      CRAWLER_HTTP_HOST: "127.0.0.1",
      CRAWLER_HTTP_PORT: "0",
      CRAWLER_LOG_LEVEL: "info", // "ops endpoint listening" (info) tells the bench the port
      CRAWLER_SOURCES: JSON.stringify(sources),
      CRAWLER_HOST_RATE_PER_SECOND: "10000",
      CRAWLER_MAX_CONCURRENCY: "32",
    },
    "ops endpoint listening",
    CRAWLER_NODE,
  );
  const port = line.port as number;
  progress(`crawl mode: ${sources.length} sources, measuring for ${seconds} s`);
  const result = await measure(port, "crawler_pages_fetched_total", child.pid as number);
  result.detail.rowsWritten = await metric(port, "crawler_rows_written_total");
  result.detail.parseFailures = await metric(port, "crawler_parse_failures_total");
  result.detail.ticksSkipped = await metric(port, "crawler_ticks_skipped_total");
  progress("crawl mode: stopping");
  result.detail.exitCode = (await stopChild(child)) ?? -1;
  return result;
}

async function benchLoad(db: Db, batchSize: number): Promise<Result> {
  const { child, line } = await spawnNode(
    MAIN,
    [],
    {
      ...db.env,
      NODE_OPTIONS,
      CRAWLER_MODE: "load",
      CRAWLER_TABLE: `bench_load_${batchSize}`,
      CRAWLER_HTTP_HOST: "127.0.0.1",
      CRAWLER_HTTP_PORT: "0",
      CRAWLER_LOG_LEVEL: "info", // "ops endpoint listening" (info) tells the bench the port
      CRAWLER_LOAD_ROWS_PER_SECOND: "1000000",
      CRAWLER_BATCH_SIZE: String(batchSize),
    },
    "ops endpoint listening",
    CRAWLER_NODE,
  );
  const port = line.port as number;
  progress(`load mode: batch ${batchSize}, measuring for ${seconds} s`);
  const result = await measure(port, "crawler_rows_written_total", child.pid as number);
  result.detail.batchSize = batchSize;
  result.detail.duplicates = await metric(port, "crawler_rows_duplicate_total");
  result.detail.exitCode = (await stopChild(child)) ?? -1;
  return result;
}

async function main(): Promise<void> {
  // Other work on the machine skews every figure; the load average at start tells the reader how much.
  const loadBefore = loadavg()[0] as number;
  const db = startDb();
  let site: ChildProcess | undefined;
  try {
    const started = await spawnNode(FIXTURES, ["--port", "0"], {}, "fixture site listening");
    site = started.child;
    const crawl = await benchCrawl(db, started.line.url as string);
    const load500 = await benchLoad(db, 500);
    const load1000 = await benchLoad(db, 1000);
    const line = (label: string, r: Result, unit: string, target: string) =>
      `${label.padEnd(34)} ${r.rate.toFixed(0).padStart(8)} ${unit.padEnd(7)} (target ${target})   peak RSS ${r.peakRssMb.toFixed(0)} MB (target <= 150)`;
    process.stdout.write(
      [
        "",
        `crawler benchmark: crawler on ${CRAWLER_NODE === process.execPath ? `Node ${process.version}` : CRAWLER_NODE}, NODE_OPTIONS="${NODE_OPTIONS}" (as in the image), ${seconds} s windows after ${WARMUP_MS / 1000} s warm-up`,
        `machine: ${cpus().length} cores, shared with MariaDB and the fixture site; 1-min load average at start ${loadBefore.toFixed(1)}`,
        line("crawl: pages/s from fixture site", crawl, "pages/s", ">= 200"),
        line("load: rows/s, batch 500 (default)", load500, "rows/s", ">= 20000"),
        line("load: rows/s, batch 1000", load1000, "rows/s", ">= 20000"),
        "",
        JSON.stringify({ crawl, load500, load1000 }),
        "",
      ].join("\n"),
    );
  } finally {
    if (site) await stopChild(site);
    db.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
