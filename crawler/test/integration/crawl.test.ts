import type { Pool } from "mariadb";
import type { Counter } from "prom-client";
import { startFixtureSite, type FixtureSite } from "../../fixtures/site";
import type { ShutdownSummary } from "../../src/app";
import type { Metrics } from "../../src/metrics";
import { findStation, type Station } from "../../src/synthetic/locations";
import { readingsAt } from "../../src/synthetic/weather-model";
import { startApp, sleepMs, type RunningApp } from "../helpers/app";
import { allRows, countRows, testPool, uniqueTable, type Row } from "../helpers/db";

const UA = "bigdata-platform-crawler/0.1 (integration test)";
let pool: Pool;
beforeAll(() => {
  pool = testPool();
});
afterAll(() => pool.end());

const portal = { parser: "weather-portal" };
const tableSelectors = {
  selectors: {
    observedAt: { selector: "#obs-time", attr: "data-utc" },
    location: "#stn-name",
    temperature: "#temp",
    pm10: "#pm10",
    pm25: "#pm25",
    ozone: "#o3",
  },
  units: { ozone: "ppb" },
};

function crawlEnv(site: FixtureSite, table: string, sources: Array<Record<string, unknown>>): Record<string, string> {
  return {
    CRAWLER_TABLE: table,
    CRAWLER_USER_AGENT: UA,
    CRAWLER_SOURCES: JSON.stringify(sources.map((s) => ({ intervalSeconds: 0.5, ...s, url: site.url + String(s.url) }))),
    CRAWLER_HOST_RATE_PER_SECOND: "200",
    CRAWLER_FETCH_TIMEOUT_MS: "500",
    CRAWLER_FETCH_RETRIES: "2",
    CRAWLER_RETRY_BASE_MS: "20",
    CRAWLER_RETRY_MAX_MS: "100",
    CRAWLER_BATCH_SIZE: "50",
    CRAWLER_BATCH_MAX_WAIT_MS: "200",
    CRAWLER_SHUTDOWN_TIMEOUT_MS: "4000",
  };
}

type CounterName = { [K in keyof Metrics]: Metrics[K] extends Counter<string> ? K : never }[keyof Metrics];
const counter = (running: RunningApp, name: CounterName, labels: Record<string, string>) =>
  running.metrics.total(running.metrics[name], labels);

describe("crawling the fixture site into MariaDB", () => {
  let site: FixtureSite;
  let running: RunningApp;
  let summary: ShutdownSummary;
  let rows: Row[];
  const table = uniqueTable("crawl");

  beforeAll(async () => {
    site = await startFixtureSite({ stepSeconds: 1 });
    running = await startApp(
      crawlEnv(site, table, [
        { name: "ko-gangnam", url: "/weather/seoul-gangnam", ...portal },
        { name: "en-jeju", url: "/en/weather/jeju", ...portal, utcOffset: "+09:00" },
        { name: "table-busan", url: "/station/busan-haeundae", ...tableSelectors },
        { name: "maint-daegu", url: "/broken/maintenance/daegu-jung", ...portal, optional: ["ozone"] },
        { name: "flaky-ulsan", url: "/broken/flaky/ulsan-nam?fail=2", ...portal },
        { name: "missing", url: "/broken/missing/mokpo", ...portal },
        { name: "notime", url: "/broken/notime/mokpo", ...portal },
        { name: "layout", url: "/broken/layout/mokpo", ...portal },
        { name: "garbage", url: "/broken/garbage/andong", ...portal },
        { name: "range", url: "/broken/out-of-range/andong", ...portal },
        { name: "unit", url: "/broken/unit/andong", ...portal },
        { name: "err500", url: "/broken/500/pohang", ...portal },
        { name: "slow", url: "/broken/slow/pohang?ms=3000", ...portal },
        { name: "huge", url: "/broken/huge/pohang", ...portal },
        { name: "private", url: "/private/weather/jeju", ...portal },
        { name: "members", url: "/members/weather/jeju", ...portal },
      ]),
    );
    await sleepMs(4500);
    summary = await running.app.shutdown("test");
    rows = await allRows(pool, table);
  });
  afterAll(() => site.close());

  const rowsOf = (source: string) => rows.filter((r) => r.source === source);

  it("writes every valid observation exactly once, and loses none at shutdown", async () => {
    expect(await countRows(pool, table)).toEqual({ rows: rows.length, distinct: rows.length });
    expect(summary.rowsDuplicate).toBe(0);
    expect(summary.rowsLost).toBe(0);
    expect(summary.rowsWritten).toBe(rows.length);
    expect(summary.observations).toBe(rows.length);
    for (const source of ["ko-gangnam", "en-jeju", "table-busan", "maint-daegu", "flaky-ulsan"]) {
      // 4.5 s of a page that changes every second, polled every 0.5 s: a few rows, fewer when a loaded machine starts
      // the app late; what must hold exactly is that every observation is one row.
      expect(rowsOf(source).length).toBeGreaterThanOrEqual(1);
      expect(rowsOf(source).length).toBe(await counter(running, "observations", { source }));
    }
  });

  it("stores what the pages showed, in canonical units and UTC", () => {
    const gangnam = findStation("seoul-gangnam") as Station;
    for (const row of rowsOf("ko-gangnam")) {
      const r = readingsAt(gangnam, new Date(row.observed_at));
      expect(row).toMatchObject({
        location: gangnam.name,
        temperature_c: r.temperatureC,
        pm10_ugm3: r.pm10Ugm3,
        pm25_ugm3: r.pm25Ugm3,
        ozone_ppm: r.ozonePpm,
      });
    }
    const jeju = findStation("jeju") as Station;
    for (const row of rowsOf("en-jeju")) {
      const r = readingsAt(jeju, new Date(row.observed_at));
      expect(row.temperature_c).toBeCloseTo(r.temperatureC, 1); // printed in °F with one decimal
      expect(row.ozone_ppm).toBeCloseTo(r.ozonePpm, 3); // printed in ppb
    }
    const busan = findStation("busan-haeundae") as Station;
    for (const row of rowsOf("table-busan")) expect(row.pm25_ugm3).toBe(readingsAt(busan, new Date(row.observed_at)).pm25Ugm3);
    expect(rowsOf("maint-daegu").every((r) => r.ozone_ppm === null && r.pm10_ugm3 !== null)).toBe(true);
    const newest = Math.max(...rows.map((r) => Date.parse(r.observed_at)));
    expect(Math.abs(newest - Date.now())).toBeLessThan(15_000);
  });

  it("skips bad pages and bad values, counting each with its reason", async () => {
    for (const source of ["missing", "notime", "layout", "garbage", "range", "unit", "err500", "slow", "huge", "private", "members"]) {
      expect(rowsOf(source)).toHaveLength(0);
    }
    expect(await counter(running, "parseFailures", { source: "missing", reason: "missing_pm10" })).toBeGreaterThan(0);
    expect(await counter(running, "parseFailures", { source: "notime", reason: "missing_observed_at" })).toBeGreaterThan(0);
    expect(await counter(running, "parseFailures", { source: "layout", reason: "layout_not_found" })).toBeGreaterThan(0);
    expect(await counter(running, "valuesRejected", { source: "garbage", field: "pm10", reason: "not_a_number" })).toBeGreaterThan(0);
    expect(await counter(running, "valuesRejected", { source: "garbage", field: "temperature", reason: "not_a_number" })).toBeGreaterThan(
      0,
    );
    expect(await counter(running, "valuesRejected", { source: "range", field: "pm10", reason: "out_of_range" })).toBeGreaterThan(0);
    expect(await counter(running, "valuesRejected", { source: "range", field: "ozone", reason: "out_of_range" })).toBeGreaterThan(0);
    expect(await counter(running, "valuesRejected", { source: "unit", field: "ozone", reason: "unknown_unit" })).toBeGreaterThan(0);
    expect(await counter(running, "fetchFailures", { source: "err500", reason: "http_5xx" })).toBeGreaterThan(0);
    expect(await counter(running, "fetchFailures", { source: "slow", reason: "timeout" })).toBeGreaterThan(0);
    expect(await counter(running, "fetchFailures", { source: "huge", reason: "too_large" })).toBeGreaterThan(0);
    const skipped = running.logs.filter((l) => l.msg === "page skipped: bad values" && l.source === "range");
    expect(skipped[0]).toMatchObject({
      level: "warn",
      rejections: [{ field: "pm10", reason: "out_of_range", detail: "99999 is outside 0..3000" }, { field: "ozone" }],
    });
  });

  it("retries server errors with backoff, then succeeds or gives up", async () => {
    const hits = (prefix: string) => site.requests.filter((r) => r.path.startsWith(prefix)).length;
    expect(await counter(running, "fetchRetries", { source: "flaky-ulsan" })).toBe(2);
    expect(hits("/broken/flaky/")).toBe(
      2 + rowsOf("flaky-ulsan").length + (await counter(running, "unchanged", { source: "flaky-ulsan" })),
    );
    const failures = await counter(running, "fetchFailures", { source: "err500" });
    expect(await counter(running, "fetchRetries", { source: "err500" })).toBeGreaterThanOrEqual(2 * failures);
    expect(hits("/broken/500/")).toBeGreaterThanOrEqual(3 * failures);
  });

  it("respects robots.txt and identifies itself", async () => {
    expect(site.requests.filter((r) => r.path.startsWith("/private/") || r.path.startsWith("/members/"))).toEqual([]);
    expect(site.requests.filter((r) => r.path === "/robots.txt")).toHaveLength(1);
    expect(await counter(running, "robotsBlocked", { source: "private" })).toBeGreaterThan(0);
    expect(await counter(running, "robotsBlocked", { source: "members" })).toBeGreaterThan(0);
    expect(new Set(site.requests.map((r) => r.userAgent))).toEqual(new Set([UA]));
  });
});

describe("restarting the crawler", () => {
  it("does not duplicate rows it already wrote", async () => {
    // An hour-long step: both runs see the very same observations.
    const site = await startFixtureSite({ stepSeconds: 3600 });
    const table = uniqueTable("restart");
    const sources = [
      { name: "a", url: "/weather/seoul-mapo", ...portal },
      { name: "b", url: "/weather/gwangju-buk", ...portal },
      { name: "c", url: "/station/incheon-yeonsu", ...tableSelectors },
    ];
    try {
      const first = await startApp(crawlEnv(site, table, sources));
      await sleepMs(1200);
      const s1 = await first.app.shutdown("test");
      const second = await startApp(crawlEnv(site, table, sources));
      await sleepMs(1200);
      const s2 = await second.app.shutdown("test");

      expect(s1).toMatchObject({ rowsWritten: 3, rowsDuplicate: 0, rowsLost: 0 });
      expect(s2).toMatchObject({ rowsWritten: 0, rowsDuplicate: 3, rowsLost: 0 });
      expect(await countRows(pool, table)).toEqual({ rows: 3, distinct: 3 });
    } finally {
      await site.close();
    }
  });
});
