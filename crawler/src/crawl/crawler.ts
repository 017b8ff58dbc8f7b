import type { SourceConfig } from "../config/sources";
import { extractFields } from "../extract/extract";
import type { PoliteFetcher } from "../fetch/polite-fetcher";
import type { Logger } from "../log";
import type { Metrics } from "../metrics";
import { normalise } from "../normalise/normalise";
import type { Observation } from "../observation";
import type { Semaphore } from "../util/semaphore";
import { sleep } from "../util/sleep";

export interface ObservationSink {
  add(observation: Observation): Promise<void>;
}

/** How long the scheduler may go without a heartbeat before /healthz reports the loop dead. */
const HEARTBEAT_STALE_MS = 10_000;

/**
 * Polls every source on its own fixed-rate schedule (no drift: the k-th poll is due at start + k × interval).
 * A poll that is still running when the next one is due makes that next one skip rather than pile up, so a
 * slow site costs polls, not memory. Each valid, new observation goes to the sink (the batcher).
 */
export class Crawler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  /** Last observation time collected per source: a page that has not changed yet is not written again. */
  private readonly lastObserved = new Map<string, number>();
  private readonly warnedBlocked = new Set<string>();
  private heartbeatAt = Date.now();
  private heartbeat: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly sources: readonly SourceConfig[],
    private readonly fetcher: PoliteFetcher,
    private readonly sink: ObservationSink,
    private readonly concurrency: Semaphore,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(): void {
    const startedAt = Date.now();
    this.sources.forEach((source, i) => {
      // Spread first polls over the first interval (at most a second) so sources do not all fire together.
      const offset = (Math.min(source.intervalSeconds, 1) * 1000 * i) / Math.max(1, this.sources.length);
      this.schedule(source, startedAt + offset, 0);
    });
    this.heartbeat = setInterval(() => (this.heartbeatAt = Date.now()), 1000);
    this.heartbeat.unref();
    this.log.info("crawler started", {
      sources: this.sources.map((s) => ({ name: s.name, url: s.url, intervalSeconds: s.intervalSeconds })),
    });
  }

  /** True while the scheduler runs and the event loop is responsive. */
  isAlive(): boolean {
    return !this.stopped && Date.now() - this.heartbeatAt < HEARTBEAT_STALE_MS;
  }

  get inFlight(): number {
    return this.running.size;
  }

  /** Stops scheduling and waits up to `graceMs` for polls in flight (their rows reach the sink). */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.heartbeat) clearInterval(this.heartbeat);
    const grace = new AbortController();
    await Promise.race([Promise.allSettled([...this.running.values()]), sleep(graceMs, grace.signal)]);
    grace.abort(); // do not leave the grace timer pending once the polls are done
  }

  /** Resolves when every poll has finished (after the caller aborted the fetches that outlived the grace). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  private schedule(source: SourceConfig, firstAt: number, k: number): void {
    if (this.stopped) return;
    const dueAt = firstAt + k * source.intervalSeconds * 1000;
    const timer = setTimeout(
      () => {
        this.tick(source);
        // Catch up without bursting: if we fell behind (event loop stall), resume from the next future slot.
        const behind = Math.max(k + 1, Math.ceil((Date.now() - firstAt) / (source.intervalSeconds * 1000)));
        this.schedule(source, firstAt, behind);
      },
      Math.max(0, dueAt - Date.now()),
    );
    this.timers.set(source.name, timer);
  }

  private tick(source: SourceConfig): void {
    if (this.running.has(source.name)) {
      this.metrics.ticksSkipped.inc({ source: source.name });
      return;
    }
    const poll = this.poll(source)
      .catch((err) => this.log.error("poll failed unexpectedly", { source: source.name, error: err }))
      .finally(() => this.running.delete(source.name));
    this.running.set(source.name, poll);
  }

  /** One poll: fetch (politely), extract, validate, and hand a new observation to the sink. */
  async poll(source: SourceConfig): Promise<void> {
    const release = await this.concurrency.acquire();
    if (this.stopped) {
      release();
      return;
    }
    const stopTimer = this.metrics.fetchSeconds.startTimer();
    let result;
    try {
      result = await this.fetcher.fetch(source.name, source.url);
    } finally {
      release();
      stopTimer();
    }
    const labels = { source: source.name };
    if (result.kind === "blocked") {
      this.metrics.robotsBlocked.inc(labels);
      if (!this.warnedBlocked.has(source.name)) {
        this.warnedBlocked.add(source.name);
        this.log.warn("robots.txt disallows this source; not fetching it", { source: source.name, url: source.url });
      }
      return;
    }
    if (result.kind === "failed") {
      if (result.failure.reason === "aborted") return;
      this.metrics.fetchFailures.inc({ ...labels, reason: result.failure.reason });
      this.log.warn("fetch failed", {
        source: source.name,
        url: source.url,
        reason: result.failure.reason,
        attempts: result.attempts,
        detail: result.failure.message,
      });
      return;
    }
    this.metrics.pagesFetched.inc(labels);
    const observation = this.handlePage(source, result.page.body);
    if (observation) await this.sink.add(observation);
  }

  /** Extracts and validates a page; returns the observation if it is valid and new, else counts why not. */
  private handlePage(source: SourceConfig, html: string): Observation | null {
    const raw = extractFields(html, source.extractor);
    if (raw === null) {
      this.metrics.parseFailures.inc({ source: source.name, reason: "layout_not_found" });
      this.log.warn("page skipped: layout not recognised", { source: source.name, url: source.url, reason: "layout_not_found" });
      return null;
    }
    const result = normalise(raw, {
      source: source.name,
      ...(source.location !== undefined ? { location: source.location } : {}),
      utcOffsetMinutes: source.utcOffsetMinutes,
      optional: source.optional,
      units: source.units,
      now: this.now(),
    });
    if (!result.ok && result.kind === "parse") {
      this.metrics.parseFailures.inc({ source: source.name, reason: result.reason });
      this.log.warn("page skipped: not parseable", { source: source.name, url: source.url, reason: result.reason, detail: result.detail });
      return null;
    }
    if (!result.ok) {
      for (const r of result.rejections) this.metrics.valuesRejected.inc({ source: source.name, field: r.field, reason: r.reason });
      this.log.warn("page skipped: bad values", { source: source.name, url: source.url, rejections: result.rejections });
      return null;
    }
    const at = result.observation.observedAt.getTime();
    if (this.lastObserved.get(source.name) === at) {
      this.metrics.unchanged.inc({ source: source.name });
      return null;
    }
    this.lastObserved.set(source.name, at);
    this.metrics.observations.inc({ source: source.name });
    return result.observation;
  }
}
