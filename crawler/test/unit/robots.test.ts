import { RobotsCache, type RobotsFetch } from "../../src/fetch/robots";

const UA = "bigdata-platform-crawler/0.1 (test)";
const ROBOTS = [
  "User-agent: *",
  "Disallow: /private/",
  "",
  "User-agent: bigdata-platform-crawler",
  "Disallow: /members/",
  "Crawl-delay: 2",
  "",
].join("\n");

describe("RobotsCache", () => {
  it("applies the group for our product token and its Crawl-delay", async () => {
    const cache = new RobotsCache(async () => ({ kind: "ok", body: ROBOTS }), UA, 60_000);
    const rules = await cache.rulesFor("http://127.0.0.1:1/weather/x");
    expect(rules.isAllowed("http://127.0.0.1:1/weather/x")).toBe(true);
    expect(rules.isAllowed("http://127.0.0.1:1/members/x")).toBe(false);
    // Our group replaces the * group entirely (RFC 9309), so /private/ is not disallowed for us here.
    expect(rules.isAllowed("http://127.0.0.1:1/private/x")).toBe(true);
    expect(rules.crawlDelaySeconds).toBe(2);
  });

  it("allows everything when robots.txt is unavailable (4xx) and nothing when unreachable (5xx)", async () => {
    const open = new RobotsCache(async () => ({ kind: "unavailable" }), UA, 60_000);
    expect((await open.rulesFor("http://a/x")).isAllowed("http://a/x")).toBe(true);
    const closed = new RobotsCache(async () => ({ kind: "unreachable", detail: "HTTP 500" }), UA, 60_000);
    expect((await closed.rulesFor("http://a/x")).isAllowed("http://a/x")).toBe(false);
  });

  it("fetches once per origin, shares concurrent lookups, and asks again after an error sooner than the TTL", async () => {
    let now = 0;
    const loads: string[] = [];
    let answer: RobotsFetch = { kind: "unreachable", detail: "down" };
    const cache = new RobotsCache(
      async (url) => {
        loads.push(url);
        return answer;
      },
      UA,
      3_600_000,
      60_000,
      () => now,
    );
    await Promise.all([cache.rulesFor("http://a/1"), cache.rulesFor("http://a/2"), cache.rulesFor("http://b/1")]);
    expect(loads).toEqual(["http://a/robots.txt", "http://b/robots.txt"]);
    answer = { kind: "ok", body: ROBOTS };
    now = 59_000;
    expect((await cache.rulesFor("http://a/1")).isAllowed("http://a/1")).toBe(false);
    now = 61_000;
    expect((await cache.rulesFor("http://a/1")).isAllowed("http://a/1")).toBe(true);
    expect(loads).toHaveLength(3);
  });
});
