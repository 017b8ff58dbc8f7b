import { sleep } from "../util/sleep";

/**
 * Per-host politeness: request starts to one host are spaced at least `minIntervalMs` apart, however many sources
 * point at it and however many fetches run in parallel. Each caller reserves the next free slot synchronously, so
 * the spacing holds without a queue or a lock; a host's interval can be raised later (robots.txt Crawl-delay).
 */
export class HostRateLimiter {
  private readonly nextSlot = new Map<string, number>();
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

  /** Waits for this caller's slot on `host`. Resolves early if `signal` aborts (the slot is then simply unused). */
  async acquire(host: string, signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot.get(host) ?? now);
    this.nextSlot.set(host, slot + this.intervalFor(host));
    if (slot > now) await sleep(slot - now, signal);
  }
}
