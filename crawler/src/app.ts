import { setMaxListeners } from "node:events";
import type { Server } from "node:http";
import type { Pool } from "mariadb";
import { Batcher } from "./batch/batcher";
import type { CrawlerConfig } from "./config/env";
import { Crawler } from "./crawl/crawler";
import { openPool } from "./db/pool";
import { applySchema } from "./db/schema";
import { ObservationWriter } from "./db/writer";
import { PoliteFetcher } from "./fetch/polite-fetcher";
import { HostRateLimiter } from "./fetch/rate-limiter";
import { HealthCheck } from "./http/health";
import { closeServer, startOpsServer } from "./http/server";
import { LoadRunner } from "./load/load-runner";
import { resumeIndex } from "./load/resume";
import { SyntheticSequence } from "./load/synthetic";
import type { Logger } from "./log";
import type { Metrics } from "./metrics";
import { backoffDelay } from "./util/backoff";
import { Semaphore } from "./util/semaphore";
import { sleep } from "./util/sleep";

export interface ShutdownSummary {
  reason: string;
  pagesFetched: number;
  observations: number;
  rowsGenerated: number;
  rowsWritten: number;
  rowsDuplicate: number;
  rowsRejected: number;
  rowsLost: number;
  durationMs: number;
}

/** With rows waiting, this long without a successful write marks the writer as stuck in /healthz. */
const WRITER_STALL_MS = 60_000;
/** Time kept back from the shutdown budget for closing the pool and the endpoint. */
const CLOSE_RESERVE_MS = 500;

/**
 * The service: ops endpoint first (so /healthz answers "starting" at once), then the database and schema
 * (retried until MariaDB is up, as it may start after us), then the batcher and the mode's loop. shutdown() is
 * the reverse, and guarantees that every row produced before it was called is written (or counted as lost if the
 * database stays down past the shutdown budget).
 */
export class CrawlerApp {
  /** Aborted first at shutdown: nothing new starts (no poll, no request, no retry). */
  private readonly draining = new AbortController();
  /** Aborted when the grace for work in flight is over, and for the start sequence. */
  private readonly stopping = new AbortController();
  private readonly giveUpWrites = new AbortController();
  private readonly pool: Pool;
  private server: Server | null = null;
  private schemaReady = false;
  private writer: ObservationWriter | null = null;
  private batcher: Batcher | null = null;
  private crawler: Crawler | null = null;
  private loader: LoadRunner | null = null;
  private readonly startedAt = Date.now();

  constructor(
    private readonly config: CrawlerConfig,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {
    this.pool = openPool(config.db);
    // Every fetch and rate-limit wait in flight listens on these (and removes itself); hundreds at once is normal.
    setMaxListeners(0, this.draining.signal, this.stopping.signal, this.giveUpWrites.signal);
  }

  /** Port the ops endpoint listens on (useful when configured as 0). */
  get httpPort(): number {
    const address = this.server?.address();
    return typeof address === "object" && address ? address.port : this.config.http.port;
  }

  async start(): Promise<void> {
    try {
      await this.startUnlessStopping();
    } catch (err) {
      // A shutdown during start closes the pool under the start sequence; that is not a failure to report.
      if (!this.stopping.signal.aborted) throw err;
    }
  }

  private async startUnlessStopping(): Promise<void> {
    const health = new HealthCheck({
      pool: this.pool,
      ready: () => this.schemaReady,
      loopAlive: () => this.crawler?.isAlive() ?? this.loader?.isAlive() ?? false,
      writerStalled: () => (this.batcher?.buffered ?? 0) > 0 && Date.now() - (this.writer?.lastSuccess ?? Date.now()) > WRITER_STALL_MS,
    });
    this.server = await startOpsServer(this.config.http.host, this.config.http.port, health, this.metrics, this.log);

    if (!(await this.prepareTable())) return;

    const writer = new ObservationWriter(this.pool, this.config.table, this.metrics, this.log, {
      retryBaseMs: this.config.fetch.retryBaseMs,
      retryMaxMs: this.config.fetch.retryMaxMs,
    });
    this.writer = writer;
    this.batcher = new Batcher((rows) => writer.write(rows, this.giveUpWrites.signal), {
      size: this.config.batch.size,
      maxWaitMs: this.config.batch.maxWaitMs,
      maxBuffered: this.config.batch.size * 4,
      onBuffered: (n) => this.metrics.bufferedRows.set(n),
    });

    if (this.stopping.signal.aborted) return;
    if (this.config.mode === "crawl") this.startCrawl(this.batcher);
    else await this.startLoad(this.batcher);
  }

  /** Applies the schema, retrying while the database is unreachable. False if shutdown came first. */
  private async prepareTable(): Promise<boolean> {
    for (let attempt = 0; !this.stopping.signal.aborted; attempt++) {
      try {
        await applySchema(this.pool, this.config.table);
        this.schemaReady = true;
        this.log.info("table ready", { table: this.config.table, database: this.config.db.database });
        return true;
      } catch (err) {
        const delay = backoffDelay(attempt, 500, 10_000);
        this.log.warn("cannot prepare the table yet; retrying", { attempt: attempt + 1, delayMs: delay, error: err });
        await sleep(delay, this.stopping.signal);
      }
    }
    return false;
  }

  private startCrawl(batcher: Batcher): void {
    const f = this.config.fetch;
    const limiter = new HostRateLimiter(1000 / f.hostRequestsPerSecond);
    const fetcher = new PoliteFetcher(
      {
        userAgent: this.config.userAgent,
        timeoutMs: f.timeoutMs,
        retries: f.retries,
        retryBaseMs: f.retryBaseMs,
        retryMaxMs: f.retryMaxMs,
        maxPageBytes: f.maxPageBytes,
        robotsCacheMs: f.robotsCacheSeconds * 1000,
      },
      limiter,
      this.metrics,
      this.log,
      this.draining.signal,
      this.stopping.signal,
    );
    this.crawler = new Crawler(
      this.config.sources,
      fetcher,
      { add: (o) => batcher.add(o) },
      new Semaphore(f.maxConcurrency),
      this.metrics,
      this.log,
    );
    this.crawler.start();
  }

  private async startLoad(batcher: Batcher): Promise<void> {
    const l = this.config.load;
    const sequence = new SyntheticSequence(l.stations, l.start, l.stepSeconds);
    const from = await resumeIndex(this.pool, this.config.table, sequence);
    if (this.stopping.signal.aborted) return;
    this.loader = new LoadRunner(
      sequence,
      { add: (rows) => batcher.add(rows) },
      { rowsPerSecond: l.rowsPerSecond, totalRows: l.totalRows, chunk: this.config.batch.size },
      this.metrics,
      this.log,
    );
    this.loader.start(from);
  }

  /** Stops producing, writes everything produced, closes connections. Safe to call once. */
  async shutdown(reason: string): Promise<ShutdownSummary> {
    const began = Date.now();
    const budget = this.config.shutdownTimeoutMs;
    this.log.info("shutting down", { reason, budgetMs: budget });
    const giveUp = setTimeout(() => this.giveUpWrites.abort(), Math.max(0, budget - CLOSE_RESERVE_MS));

    this.draining.abort();
    if (this.crawler) {
      // Requests in flight get half the budget to finish; the rest are aborted (the page is polled again after a restart).
      await this.crawler.stop(budget / 2);
      this.stopping.abort();
      await this.crawler.settled();
    }
    this.stopping.abort();
    await this.loader?.stop();
    await this.batcher?.close();
    clearTimeout(giveUp);

    if (this.server) await closeServer(this.server);
    await this.pool.end().catch((err) => this.log.warn("closing the pool failed", { error: err }));

    const m = this.metrics;
    const summary: ShutdownSummary = {
      reason,
      pagesFetched: await m.total(m.pagesFetched),
      observations: await m.total(m.observations),
      rowsGenerated: await m.total(m.syntheticGenerated),
      rowsWritten: await m.total(m.rowsWritten),
      rowsDuplicate: await m.total(m.rowsDuplicate),
      rowsRejected: await m.total(m.rowsRejected),
      rowsLost: await m.total(m.rowsLost),
      durationMs: Date.now() - began,
    };
    this.log.info("shutdown complete", { ...summary, uptimeMs: Date.now() - this.startedAt });
    return summary;
  }
}
