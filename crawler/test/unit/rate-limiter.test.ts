import { HostRateLimiter } from "../../src/fetch/rate-limiter";

describe("HostRateLimiter", () => {
  it("spaces request starts to one host, whatever the concurrency", async () => {
    const limiter = new HostRateLimiter(40);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 8 }, () => limiter.acquire("a:80").then(() => starts.push(performance.now()))));
    starts.sort((x, y) => x - y);
    for (let i = 1; i < starts.length; i++) expect((starts[i] as number) - (starts[i - 1] as number)).toBeGreaterThanOrEqual(39.9);
  });

  it("keeps hosts independent and lets Crawl-delay raise (never lower) the interval", async () => {
    const limiter = new HostRateLimiter(50);
    limiter.setInterval("slow:80", 200);
    limiter.setInterval("fast:80", 1);
    expect(limiter.intervalFor("slow:80")).toBe(200);
    expect(limiter.intervalFor("fast:80")).toBe(50);
    const t0 = performance.now();
    await Promise.all([limiter.acquire("a:80"), limiter.acquire("b:80"), limiter.acquire("c:80")]);
    expect(performance.now() - t0).toBeLessThan(30);
  });

  it("stops waiting when aborted", async () => {
    const limiter = new HostRateLimiter(10_000);
    await limiter.acquire("h");
    const controller = new AbortController();
    const t0 = performance.now();
    setTimeout(() => controller.abort(), 20);
    await limiter.acquire("h", controller.signal);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
