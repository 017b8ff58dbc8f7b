import { startFixtureSite, type RequestRecord } from "../../fixtures/site";
import { startApp, sleepMs } from "../helpers/app";
import { uniqueTable } from "../helpers/db";

/**
 * The most requests that arrived at the site within any window of `windowMs`. The crawler spaces request
 * starts (test/unit/rate-limiter.test.ts checks the spacing itself); the server sees arrivals, which a busy event
 * loop can shift by tens or, on a loaded machine, a hundred milliseconds, so two arrivals may come close together
 * while the rate over a window holds. The window is what a site sees as politeness.
 */
function maxInWindow(requests: RequestRecord[], windowMs: number): number {
  const at = requests.map((r) => r.at).sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while ((at[i] as number) - (at[j] as number) >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

async function crawlFor(ms: number, site: { url: string }, env: Record<string, string>, sourceCount: number) {
  const sources = Array.from({ length: sourceCount }, (_, i) => ({
    name: `s${i}`,
    url: `${site.url}/weather/${["seoul-gangnam", "seoul-jongno", "seoul-mapo", "busan-haeundae"][i % 4]}?copy=${i}`,
    intervalSeconds: 0.1,
    parser: "weather-portal",
  }));
  const running = await startApp({
    CRAWLER_TABLE: uniqueTable("polite"),
    CRAWLER_SOURCES: JSON.stringify(sources),
    CRAWLER_BATCH_MAX_WAIT_MS: "200",
    CRAWLER_SHUTDOWN_TIMEOUT_MS: "2000",
    ...env,
  });
  await sleepMs(ms);
  await running.app.shutdown("test");
  return running;
}

describe("politeness", () => {
  it("holds the per-host rate limit however many sources share the host", async () => {
    const site = await startFixtureSite();
    try {
      // 8 sources polled every 100 ms would be 80 requests/s; the host allows 10.
      const running = await crawlFor(2000, site, { CRAWLER_HOST_RATE_PER_SECOND: "10" }, 8);
      const requests = site.requests;
      // It does crawl (fewer requests when a loaded machine starts the app late).
      expect(requests.length).toBeGreaterThanOrEqual(5);
      expect(maxInWindow(requests, 1000)).toBeLessThanOrEqual(10 + 1);
      expect(requests.length).toBeLessThanOrEqual(2000 / 100 + 2);
      expect(await running.metrics.total(running.metrics.ticksSkipped)).toBeGreaterThan(0);
    } finally {
      await site.close();
    }
  });

  it("slows down further when robots.txt asks for a Crawl-delay", async () => {
    const site = await startFixtureSite({ crawlDelaySeconds: 0.3 });
    try {
      await crawlFor(1600, site, { CRAWLER_HOST_RATE_PER_SECOND: "100" }, 3);
      expect(site.requests[0]?.path).toBe("/robots.txt");
      expect(maxInWindow(site.requests, 900)).toBeLessThanOrEqual(3 + 1);
      expect(site.requests.length).toBeLessThanOrEqual(1600 / 300 + 2);
    } finally {
      await site.close();
    }
  });

  it("stays away from a site whose robots.txt cannot be read", async () => {
    const site = await startFixtureSite({ robotsStatus: 500 });
    try {
      const running = await crawlFor(600, site, { CRAWLER_HOST_RATE_PER_SECOND: "100" }, 2);
      expect(site.requests.map((r) => r.path)).toEqual(["/robots.txt"]);
      expect(await running.metrics.total(running.metrics.robotsBlocked)).toBeGreaterThan(0);
    } finally {
      await site.close();
    }
  });
});
