import type { Pool } from "mariadb";
import { startFixtureSite, type FixtureSite } from "../../fixtures/site";
import { sleepMs, waitFor } from "../helpers/app";
import { countRows, testPool, uniqueTable } from "../helpers/db";
import { killLeftovers, spawnCrawler } from "../helpers/process";

let pool: Pool;
let site: FixtureSite;
beforeAll(async () => {
  pool = testPool();
  site = await startFixtureSite({ stepSeconds: 1 });
});
afterEach(killLeftovers);
afterAll(async () => {
  await pool.end();
  await site.close();
});

const loadEnv = (table: string, extra: Record<string, string> = {}) => ({
  CRAWLER_MODE: "load",
  CRAWLER_TABLE: table,
  CRAWLER_LOAD_ROWS_PER_SECOND: "20000",
  CRAWLER_LOAD_LOCATIONS: "137",
  CRAWLER_BATCH_SIZE: "1000",
  ...extra,
});

describe("the service process", () => {
  it("serves /healthz and /metrics while crawling, and exits cleanly on SIGTERM", async () => {
    const table = uniqueTable("proc_crawl");
    const crawler = spawnCrawler({
      CRAWLER_TABLE: table,
      CRAWLER_HOST_RATE_PER_SECOND: "50",
      CRAWLER_BATCH_MAX_WAIT_MS: "200",
      CRAWLER_SOURCES: JSON.stringify([
        { name: "gangnam", url: `${site.url}/weather/seoul-gangnam`, intervalSeconds: 0.5, parser: "weather-portal" },
        { name: "bad", url: `${site.url}/broken/garbage/jeju`, intervalSeconds: 0.5, parser: "weather-portal" },
      ]),
    });
    await crawler.waitForLog("crawler started", 10_000);
    const base = `http://127.0.0.1:${crawler.port()}`;
    await waitFor(async () => (await fetch(`${base}/healthz`)).status === 200, 5000, "healthz 200");
    const health = (await (await fetch(`${base}/healthz`)).json()) as { ok: boolean; checks: Record<string, { ok: boolean }> };
    expect(health).toEqual({
      ok: true,
      checks: { database: { ok: true }, schema: { ok: true }, loop: { ok: true }, writer: { ok: true } },
    });

    await waitFor(async () => (await countRows(pool, table)).rows >= 2, 5000, "two rows");
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^crawler_pages_fetched_total\{source="gangnam"\} [1-9]/m);
    expect(metrics).toMatch(/^crawler_rows_written_total [1-9]/m);
    expect(metrics).toMatch(/^crawler_values_rejected_total\{source="bad",field="pm10",reason="not_a_number"\} [1-9]/m);
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
    expect((await fetch(`${base}/nope`)).status).toBe(404);

    crawler.child.kill("SIGTERM");
    expect(await crawler.exited).toBe(0);
    const summary = crawler.logs.find((l) => l.msg === "shutdown complete");
    expect(summary).toMatchObject({ reason: "SIGTERM", rowsLost: 0 });
    expect((await countRows(pool, table)).rows).toBe(summary?.rowsWritten);
    expect(crawler.logs.every((l) => typeof l.time === "string" && typeof l.level === "string")).toBe(true);
  });

  it("in load mode, loses nothing on SIGTERM mid-batch and resumes without duplicates", async () => {
    const table = uniqueTable("proc_load");
    const first = spawnCrawler(loadEnv(table));
    await first.waitForLog("load mode started", 10_000);
    await sleepMs(1500);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const s1 = first.logs.find((l) => l.msg === "shutdown complete") as Record<string, number>;
    expect(s1.rowsGenerated).toBeGreaterThan(5000);
    // Everything generated was written: the batch in flight finished and the buffer was flushed.
    expect(s1).toMatchObject({ rowsWritten: s1.rowsGenerated, rowsDuplicate: 0, rowsLost: 0 });
    expect(await countRows(pool, table)).toEqual({ rows: s1.rowsGenerated, distinct: s1.rowsGenerated });

    const second = spawnCrawler(loadEnv(table));
    const started = await second.waitForLog("load mode started", 10_000);
    // Resumes at the start of the step the slowest station reached: less than two steps (2 × 137 rows) re-sent.
    expect(started.fromRow).toBeGreaterThan((s1.rowsGenerated as number) - 2 * 137);
    expect(started.fromRow).toBeLessThanOrEqual(s1.rowsGenerated as number);
    await sleepMs(1000);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    const s2 = second.logs.find((l) => l.msg === "shutdown complete") as Record<string, number>;
    expect(s2.rowsLost).toBe(0);
    expect(s2.rowsWritten + s2.rowsDuplicate).toBe(s2.rowsGenerated);
    expect(await countRows(pool, table)).toEqual({ rows: s1.rowsWritten + s2.rowsWritten, distinct: s1.rowsWritten + s2.rowsWritten });

    const sources = await pool.query<Array<{ n: number }>>(`SELECT COUNT(*) AS n FROM \`${table}\` WHERE source NOT LIKE 'synthetic:%'`);
    expect(Number(sources[0]?.n)).toBe(0);
  });

  it("stops at CRAWLER_LOAD_TOTAL_ROWS and stays healthy", async () => {
    const table = uniqueTable("proc_total");
    const crawler = spawnCrawler(loadEnv(table, { CRAWLER_LOAD_TOTAL_ROWS: "5000", CRAWLER_LOAD_ROWS_PER_SECOND: "50000" }));
    await crawler.waitForLog("load mode complete", 10_000);
    await waitFor(async () => (await countRows(pool, table)).rows === 5000, 5000, "5000 rows");
    expect((await fetch(`http://127.0.0.1:${crawler.port()}/healthz`)).status).toBe(200);
    crawler.child.kill("SIGTERM");
    expect(await crawler.exited).toBe(0);
    expect(await countRows(pool, table)).toEqual({ rows: 5000, distinct: 5000 });
  });

  it("refuses to start with invalid configuration, naming the variables", async () => {
    const crawler = spawnCrawler({ CRAWLER_DB_PORT: "99999", CRAWLER_SOURCES: "[]" });
    expect(await crawler.exited).toBe(2);
    expect(crawler.logs[0]).toMatchObject({
      level: "error",
      msg: "invalid configuration; not starting",
      problems: ['CRAWLER_DB_PORT: must be an integer from 1 to 65535 (got "99999")'],
    });
  });

  it("reports unhealthy until the database is reachable", async () => {
    // Nothing listens on port 1: connections are refused, as while MariaDB is still starting.
    const crawler = spawnCrawler({ CRAWLER_DB_PORT: "1", CRAWLER_MODE: "load", CRAWLER_SHUTDOWN_TIMEOUT_MS: "1000" });
    await crawler.waitForLog("ops endpoint listening", 10_000);
    const res = await fetch(`http://127.0.0.1:${crawler.port()}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false, checks: { database: { ok: false }, schema: { ok: false } } });
    crawler.child.kill("SIGTERM");
    expect(await crawler.exited).toBe(0);
  });
});
