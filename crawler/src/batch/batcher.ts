import type { Observation } from "../observation";

export type BatchWrite = (rows: Observation[]) => Promise<unknown>;

export interface BatcherOptions {
  /** Rows per INSERT. */
  size: number;
  /** Longest a row waits for its batch to fill before it is written anyway. */
  maxWaitMs: number;
  /** Producers wait (backpressure) while this many rows are buffered, so a slow database bounds memory. */
  maxBuffered: number;
  onBuffered?: (rows: number) => void;
}

/**
 * Groups rows into batches and writes one batch at a time. One write in flight keeps commits in order (the
 * connectors downstream see rows in id order) and gives shutdown a simple rule: close() waits for the batch in
 * flight, then writes everything still buffered.
 */
export class Batcher {
  private buffer: Observation[] = [];
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private overdue = false;
  private closed = false;
  private readonly spaceWaiters: Array<() => void> = [];

  constructor(
    private readonly write: BatchWrite,
    private readonly options: BatcherOptions,
  ) {}

  get buffered(): number {
    return this.buffer.length;
  }

  /** Queues rows; resolves at once unless the buffer is full, then when there is room again. */
  async add(rows: Observation | readonly Observation[]): Promise<void> {
    if (this.closed) throw new Error("batcher is closed");
    if (Array.isArray(rows)) for (const r of rows as readonly Observation[]) this.buffer.push(r);
    else this.buffer.push(rows as Observation);
    this.options.onBuffered?.(this.buffer.length);
    if (this.buffer.length >= this.options.size) this.kick();
    else this.arm();
    while (this.buffer.length >= this.options.maxBuffered && !this.closed) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
  }

  /** Writes everything buffered, including rows added while it runs, and resolves when nothing is left. */
  async flush(): Promise<void> {
    this.overdue = true;
    while (this.buffer.length > 0 || this.inFlight) {
      if (!this.inFlight) this.kick();
      await this.inFlight;
    }
    this.overdue = false;
  }

  /** Refuses new rows, then waits for the batch in flight and writes the rest. */
  async close(): Promise<void> {
    this.closed = true;
    this.wakeProducers();
    await this.flush();
    this.disarm();
  }

  private arm(): void {
    if (this.timer || this.buffer.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.overdue = true;
      this.kick();
    }, this.options.maxWaitMs);
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private kick(): void {
    if (this.inFlight || this.buffer.length === 0) return;
    this.disarm();
    this.overdue = false;
    const batch = this.buffer.length <= this.options.size ? this.buffer : this.buffer.slice(0, this.options.size);
    this.buffer = batch === this.buffer ? [] : this.buffer.slice(this.options.size);
    this.options.onBuffered?.(this.buffer.length);
    this.wakeProducers();
    this.inFlight = this.write(batch)
      .then(
        () => undefined,
        () => undefined, // the writer counts and logs its own failures; the batcher only sequences
      )
      .then(() => {
        this.inFlight = null;
        if (this.buffer.length >= this.options.size || (this.buffer.length > 0 && (this.overdue || this.closed))) this.kick();
        else this.arm();
      });
  }

  private wakeProducers(): void {
    if (this.buffer.length >= this.options.maxBuffered && !this.closed) return;
    for (const wake of this.spaceWaiters.splice(0)) wake();
  }
}
