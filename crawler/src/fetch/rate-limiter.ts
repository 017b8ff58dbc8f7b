import { sleep } from "../util/sleep";

/**
 * Per-host politeness: request starts to one host are at least `minIntervalMs` apart, however many sources
 * point at it and however many fetches run in parallel. Callers for a host queue behind each other and each
 * waits for the previous caller's actual start plus the interval, so timer jitter can delay a request but never
 * bring two closer together. A host's interval can be raised later (robots.txt Crawl-delay).
 */
export class HostRateLimiter {
  private readonly lastStart = new Map<string, number>();
  private readonly tails = new Map<string, Promise<void>>();
  private readonly intervals = new Map<string, number>();

  constructor(
    private readonly defaultIntervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Raises (never lowers below the default) the spacing for one host, e.g. from robots.txt Crawl-delay. */
  setInterval(host: string, intervalMs: number): void {
    this.intervals.set(host, Math.max(this.defaultIntervalMs, intervalMs));
  }

  intervalFor(host: string): number {
    return this.intervals.get(host) ?? this.defaultIntervalMs;
  }

  /** Waits for this caller's turn on `host`. Resolves early if `signal` aborts (the caller then does not fetch). */
  acquire(host: string, signal?: AbortSignal): Promise<void> {
    const previous = this.tails.get(host) ?? Promise.resolve();
    const mine = previous.then(() => this.waitTurn(host, signal));
    this.tails.set(host, mine);
    void mine.then(() => {
      // Forget an idle host's queue so the map does not keep one settled promise per host ever seen.
      if (this.tails.get(host) === mine) this.tails.delete(host);
    });
    return mine;
  }

  private async waitTurn(host: string, signal?: AbortSignal): Promise<void> {
    const last = this.lastStart.get(host);
    if (last !== undefined) {
      // Timers may fire a fraction of a millisecond early; loop until the interval has really passed.
      for (let wait = last + this.intervalFor(host) - this.now(); wait > 0 && !signal?.aborted;) {
        await sleep(Math.ceil(wait), signal);
        wait = last + this.intervalFor(host) - this.now();
      }
    }
    this.lastStart.set(host, this.now());
  }
}
