import type { Pool, UpsertResult } from "mariadb";
import type { Logger } from "../log";
import type { Metrics } from "../metrics";
import type { Observation } from "../observation";
import { backoffDelay } from "../util/backoff";
import { sleep } from "../util/sleep";
import { isDataError, isPoolClosed } from "./errors";

export interface WriteOutcome {
  inserted: number;
  duplicates: number;
  rejected: number;
  /** Rows abandoned because `giveUp` fired while the database was unreachable. */
  lost: number;
}

export interface WriterOptions {
  retryBaseMs: number;
  retryMaxMs: number;
}

const COLUMNS = ["observed_at", "source", "location", "temperature_c", "pm10_ugm3", "pm25_ugm3", "ozone_ppm"];
const ROW_PLACEHOLDERS = `(${COLUMNS.map(() => "?").join(",")})`;

/**
 * Writes batches of observations with one multi-row INSERT each. The unique key (source, observed_at) plus
 * `ON DUPLICATE KEY UPDATE id = id` makes every write idempotent: a retried batch, a restarted crawler or a
 * re-generated synthetic range inserts only what is missing. (INSERT IGNORE would also do that, but it silently
 * turns data errors into warnings; this form only absorbs duplicates.) The duplicate count relies on the pool's
 * `foundRows: false` (see pool.ts): with found-rows semantics a duplicate would count as affected.
 */
export class ObservationWriter {
  private readonly sqlByRows = new Map<number, string>();
  private lastSuccessAt = Date.now();

  constructor(
    private readonly pool: Pool,
    private readonly table: string,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly options: WriterOptions,
  ) {}

  /** When a write last succeeded (ms since epoch), for the health check. */
  get lastSuccess(): number {
    return this.lastSuccessAt;
  }

  /**
   * Writes the rows, retrying transient failures with backoff until they succeed or `giveUp` aborts. Never
   * throws: every row ends up inserted, duplicate, rejected (logged) or lost (logged), and is counted.
   */
  async write(rows: readonly Observation[], giveUp: AbortSignal): Promise<WriteOutcome> {
    if (rows.length === 0) return { inserted: 0, duplicates: 0, rejected: 0, lost: 0 };
    const stop = this.metrics.batchSeconds.startTimer();
    for (let attempt = 0; ; attempt++) {
      try {
        const inserted = await this.insert(rows);
        this.lastSuccessAt = Date.now();
        stop();
        return this.count({ inserted, duplicates: rows.length - inserted, rejected: 0, lost: 0 }, "ok");
      } catch (err) {
        if (isDataError(err)) {
          this.log.warn("batch refused by the database; writing its rows one by one", { rows: rows.length, error: err });
          const outcome = await this.insertEach(rows, giveUp);
          stop();
          return this.count(outcome, "isolated");
        }
        if (giveUp.aborted || isPoolClosed(err)) {
          this.log.error("giving up on a batch: the database is unreachable and the crawler is stopping", {
            rows: rows.length,
            error: err,
          });
          stop();
          return this.count({ inserted: 0, duplicates: 0, rejected: 0, lost: rows.length }, "lost");
        }
        const delay = backoffDelay(attempt, this.options.retryBaseMs, this.options.retryMaxMs);
        this.metrics.writeRetries.inc();
        this.log.warn("batch write failed; retrying", { rows: rows.length, attempt: attempt + 1, delayMs: delay, error: err });
        await sleep(delay, giveUp);
      }
    }
  }

  private async insert(rows: readonly Observation[]): Promise<number> {
    const params: unknown[] = new Array(rows.length * COLUMNS.length);
    let i = 0;
    for (const r of rows) {
      params[i++] = toDatetime(r.observedAt);
      params[i++] = r.source;
      params[i++] = r.location;
      params[i++] = r.temperatureC;
      params[i++] = r.pm10Ugm3;
      params[i++] = r.pm25Ugm3;
      params[i++] = r.ozonePpm;
    }
    const result = await this.pool.query<UpsertResult>(this.sql(rows.length), params);
    return result.affectedRows;
  }

  /** A data error refuses the whole statement; writing row by row keeps the good rows and names the bad ones. */
  private async insertEach(rows: readonly Observation[], giveUp: AbortSignal): Promise<WriteOutcome> {
    const outcome: WriteOutcome = { inserted: 0, duplicates: 0, rejected: 0, lost: 0 };
    for (const row of rows) {
      const single = await this.writeSingle(row, giveUp);
      outcome[single]++;
    }
    return outcome;
  }

  private async writeSingle(row: Observation, giveUp: AbortSignal): Promise<keyof WriteOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        const inserted = await this.insert([row]);
        this.lastSuccessAt = Date.now();
        return inserted === 1 ? "inserted" : "duplicates";
      } catch (err) {
        if (isDataError(err)) {
          this.log.error("row refused by the database", { source: row.source, observedAt: row.observedAt, error: err });
          return "rejected";
        }
        if (giveUp.aborted || isPoolClosed(err)) return "lost";
        await sleep(backoffDelay(attempt, this.options.retryBaseMs, this.options.retryMaxMs), giveUp);
      }
    }
  }

  private count(outcome: WriteOutcome, label: string): WriteOutcome {
    this.metrics.rowsWritten.inc(outcome.inserted);
    this.metrics.rowsDuplicate.inc(outcome.duplicates);
    this.metrics.rowsRejected.inc(outcome.rejected);
    this.metrics.rowsLost.inc(outcome.lost);
    this.metrics.batches.inc({ outcome: label });
    return outcome;
  }

  private sql(rows: number): string {
    let sql = this.sqlByRows.get(rows);
    if (sql === undefined) {
      sql =
        `INSERT INTO \`${this.table}\` (${COLUMNS.join(",")}) VALUES ` +
        new Array(rows).fill(ROW_PLACEHOLDERS).join(",") +
        " ON DUPLICATE KEY UPDATE id = id";
      // Batches are mostly full-size, so a handful of statement texts covers nearly every write.
      if (this.sqlByRows.size < 64) this.sqlByRows.set(rows, sql);
    }
    return sql;
  }
}

/** DATETIME literal in UTC; formatting it here keeps the column independent of the driver's time zone handling. */
export function toDatetime(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}
