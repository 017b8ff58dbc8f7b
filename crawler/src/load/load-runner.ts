import type { Logger } from "../log";
import type { Metrics } from "../metrics";
import type { Observation } from "../observation";
import { sleep } from "../util/sleep";
import type { SyntheticSequence } from "./synthetic";

export interface LoadSink {
  add(rows: readonly Observation[]): Promise<void>;
}

export interface LoadOptions {
  rowsPerSecond: number;
  /** Stop after this row index (0 = never). */
  totalRows: number;
  /** Rows generated per hand-off to the sink; the batch size keeps hand-offs aligned with INSERTs. */
  chunk: number;
}

const HEARTBEAT_STALE_MS = 10_000;
const TICK_MS = 20;

/**
 * Load mode: feeds the synthetic sequence to the sink at a steady rate. The sink's backpressure (a full batch
 * buffer) slows generation to what the database absorbs; the rate clock then restarts instead of bursting to
 * "catch up", so the configured rate is a ceiling, never exceeded.
 */
export class LoadRunner {
  private stopped = false;
  private done: Promise<void> = Promise.resolve();
  private progressAt = Date.now();
  private complete = false;
  private next = 0;

  constructor(
    private readonly sequence: SyntheticSequence,
    private readonly sink: LoadSink,
    private readonly options: LoadOptions,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  start(fromIndex: number): void {
    this.next = fromIndex;
    this.log.info("load mode started", {
      fromRow: fromIndex,
      rowsPerSecond: this.options.rowsPerSecond,
      totalRows: this.options.totalRows || "unlimited",
      stations: this.sequence.stationCount,
    });
    this.done = this.run().catch((err) => {
      if (!this.stopped) this.log.error("load mode failed", { error: err });
    });
  }

  /** Stops generating; the rows already handed to the sink are the sink's to write. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  isAlive(): boolean {
    return !this.stopped && (this.complete || Date.now() - this.progressAt < HEARTBEAT_STALE_MS);
  }

  /** Index of the next row to generate (for logs and tests). */
  get position(): number {
    return this.next;
  }

  private async run(): Promise<void> {
    const { rowsPerSecond, totalRows, chunk } = this.options;
    let clockStart = performance.now();
    let sentSinceClock = 0;
    while (!this.stopped) {
      if (totalRows > 0 && this.next >= totalRows) {
        this.complete = true;
        this.log.info("load mode complete", { rows: this.next });
        return;
      }
      this.progressAt = Date.now();
      const allowed = Math.floor(((performance.now() - clockStart) / 1000) * rowsPerSecond) - sentSinceClock;
      if (allowed <= 0) {
        await sleep(TICK_MS);
        continue;
      }
      const limit = totalRows > 0 ? Math.min(chunk, totalRows - this.next) : chunk;
      const count = Math.min(allowed, limit);
      const rows: Observation[] = new Array(count);
      for (let i = 0; i < count; i++) rows[i] = this.sequence.row(this.next + i);
      this.next += count;
      sentSinceClock += count;
      this.metrics.syntheticGenerated.inc(count);
      const before = performance.now();
      await this.sink.add(rows);
      // Blocked for over a second by backpressure: the database is the limit, so restart the rate clock.
      if (performance.now() - before > 1000) {
        clockStart = performance.now();
        sentSinceClock = 0;
      }
    }
  }
}
