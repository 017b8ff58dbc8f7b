import robotsParser from "robots-parser";

/** What robots.txt says for our user agent on one origin. */
export interface RobotsRules {
  isAllowed(url: string): boolean;
  crawlDelaySeconds: number | undefined;
}

/** Result of fetching /robots.txt, as RFC 9309 distinguishes it. */
export type RobotsFetch =
  | { kind: "ok"; body: string }
  /** 4xx: the site has no rules, everything is allowed. */
  | { kind: "unavailable" }
  /** 5xx or network failure: the site may have rules we cannot see, so nothing is allowed for now. */
  | { kind: "unreachable"; detail: string };

interface Entry {
  rules: Promise<RobotsRules>;
  expiresAt: number;
}

const ALLOW_ALL: RobotsRules = { isAllowed: () => true, crawlDelaySeconds: undefined };
const DISALLOW_ALL: RobotsRules = { isAllowed: () => false, crawlDelaySeconds: undefined };

/**
 * robots.txt per origin, cached for `ttlMs` (RFC 9309 suggests no more than a day). An unreachable robots.txt
 * blocks the origin only briefly (`errorTtlMs`) before being asked again. Concurrent lookups for one origin
 * share a single fetch.
 */
export class RobotsCache {
  private readonly entries = new Map<string, Entry>();
  private readonly productToken: string;

  constructor(
    private readonly load: (robotsUrl: string) => Promise<RobotsFetch>,
    userAgent: string,
    private readonly ttlMs: number,
    private readonly errorTtlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    // Robots groups are keyed by the product token ("bigdata-platform-crawler"), not the full User-Agent header.
    this.productToken = userAgent.trim().split(/[\s/]/)[0] ?? "*";
  }

  async rulesFor(pageUrl: string): Promise<RobotsRules> {
    const origin = new URL(pageUrl).origin;
    const cached = this.entries.get(origin);
    if (cached && cached.expiresAt > this.now()) return cached.rules;

    const robotsUrl = `${origin}/robots.txt`;
    const entry: Entry = { rules: Promise.resolve(ALLOW_ALL), expiresAt: this.now() + this.ttlMs };
    entry.rules = this.load(robotsUrl).then((result) => {
      if (result.kind === "unavailable") return ALLOW_ALL;
      if (result.kind === "unreachable") {
        entry.expiresAt = this.now() + this.errorTtlMs;
        return DISALLOW_ALL;
      }
      const robots = robotsParser(robotsUrl, result.body);
      const token = this.productToken;
      return {
        // `undefined` means the URL is not on this origin; it cannot happen here, so treat it as allowed.
        isAllowed: (url: string) => robots.isAllowed(url, token) !== false,
        crawlDelaySeconds: robots.getCrawlDelay(token),
      };
    });
    this.entries.set(origin, entry);
    return entry.rules;
  }
}
