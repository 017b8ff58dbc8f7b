import type { Logger } from "../log";
import type { Metrics } from "../metrics";
import { backoffDelay } from "../util/backoff";
import { sleep } from "../util/sleep";
import { FetchFailure, httpGet, type Page } from "./http-client";
import type { HostRateLimiter } from "./rate-limiter";
import { RobotsCache, type RobotsFetch } from "./robots";

export interface PoliteFetcherOptions {
  userAgent: string;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxPageBytes: number;
  robotsCacheMs: number;
}

export type FetchResult = { kind: "page"; page: Page } | { kind: "blocked" } | { kind: "failed"; failure: FetchFailure; attempts: number };

/**
 * Fetches pages the way a good citizen does: asks robots.txt first (and honours its Crawl-delay), takes a slot
 * from the per-host rate limiter before every attempt, and retries only what may succeed later (timeouts,
 * network errors, 5xx, 429) with jittered exponential backoff or the server's Retry-After.
 */
export class PoliteFetcher {
  readonly robots: RobotsCache;

  constructor(
    private readonly options: PoliteFetcherOptions,
    private readonly limiter: HostRateLimiter,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    /** Aborted first at shutdown: start no new request (queued polls give up their rate-limit slot). */
    private readonly draining: AbortSignal,
    /** Aborted when the shutdown grace is over: cancel requests still in flight. */
    private readonly shutdown: AbortSignal,
  ) {
    this.robots = new RobotsCache((url) => this.loadRobots(url), options.userAgent, options.robotsCacheMs);
  }

  async fetch(sourceName: string, url: string): Promise<FetchResult> {
    const rules = await this.robots.rulesFor(url);
    const host = new URL(url).host;
    if (rules.crawlDelaySeconds !== undefined) this.limiter.setInterval(host, rules.crawlDelaySeconds * 1000);
    if (!rules.isAllowed(url)) return { kind: "blocked" };

    for (let attempt = 0; ; attempt++) {
      await this.limiter.acquire(host, this.draining);
      if (this.draining.aborted) return { kind: "failed", failure: new FetchFailure("aborted", "crawler is stopping"), attempts: attempt };
      try {
        const page = await this.get(url);
        return { kind: "page", page };
      } catch (err) {
        const failure = err instanceof FetchFailure ? err : new FetchFailure("network", String(err));
        if (!failure.retryable || attempt >= this.options.retries) return { kind: "failed", failure, attempts: attempt + 1 };
        // A retry cut short by shutdown is not a page that failed after all its retries: it is not counted as one.
        if (this.draining.aborted) {
          return {
            kind: "failed",
            failure: new FetchFailure("aborted", `crawler is stopping; last attempt: ${failure.message}`),
            attempts: attempt + 1,
          };
        }
        const backoff = backoffDelay(attempt, this.options.retryBaseMs, this.options.retryMaxMs);
        const asked = failure.retryAfterSeconds === undefined ? 0 : failure.retryAfterSeconds * 1000;
        const delay = Math.min(this.options.retryMaxMs, Math.max(backoff, asked));
        this.metrics.fetchRetries.inc({ source: sourceName });
        this.log.debug("fetch failed; retrying", { source: sourceName, url, reason: failure.reason, attempt: attempt + 1, delayMs: delay });
        await sleep(delay, this.draining);
      }
    }
  }

  private get(url: string, accept?: string): Promise<Page> {
    return httpGet(url, {
      userAgent: this.options.userAgent,
      timeoutMs: this.options.timeoutMs,
      maxBytes: this.options.maxPageBytes,
      signal: this.shutdown,
      ...(accept ? { accept } : {}),
    });
  }

  private async loadRobots(robotsUrl: string): Promise<RobotsFetch> {
    await this.limiter.acquire(new URL(robotsUrl).host, this.draining);
    try {
      const page = await this.get(robotsUrl, "text/plain,*/*;q=0.5");
      return { kind: "ok", body: page.body };
    } catch (err) {
      if (err instanceof FetchFailure && err.reason === "http_4xx" && err.status !== 429) return { kind: "unavailable" };
      const detail = err instanceof Error ? err.message : String(err);
      this.log.warn("robots.txt unreachable; not crawling this site until it can be read", { url: robotsUrl, detail });
      return { kind: "unreachable", detail };
    }
  }
}
