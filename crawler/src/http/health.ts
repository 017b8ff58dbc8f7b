import type { Pool } from "mariadb";

export interface HealthReport {
  ok: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export interface HealthSources {
  pool: Pool;
  /** The mode's loop is scheduled and the event loop responsive. */
  loopAlive: () => boolean;
  /** Schema applied: until then the crawler is still starting. */
  ready: () => boolean;
  /** Rows are waiting but nothing has been written for too long: the writer is stuck. */
  writerStalled: () => boolean;
}

const DB_TIMEOUT_MS = 2000;
const CACHE_MS = 1000;

/**
 * Answers "should this container keep running?": the database answers a ping, the schema is in place, the loop
 * is alive and the writer is not stuck. The DB ping is cached for a second so an eager healthcheck or many
 * scrapers cannot turn /healthz into load on MariaDB.
 */
export class HealthCheck {
  private cached: { at: number; report: Promise<HealthReport> } | null = null;

  constructor(private readonly sources: HealthSources) {}

  report(): Promise<HealthReport> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.report;
    const report = this.evaluate();
    this.cached = { at: now, report };
    return report;
  }

  private async evaluate(): Promise<HealthReport> {
    const db = await pingDatabase(this.sources.pool);
    const checks: HealthReport["checks"] = {
      database: db,
      schema: this.sources.ready() ? { ok: true } : { ok: false, detail: "table not created yet" },
      loop: this.sources.loopAlive() ? { ok: true } : { ok: false, detail: "loop not running or event loop stalled" },
      writer: this.sources.writerStalled() ? { ok: false, detail: "rows waiting but no write succeeded recently" } : { ok: true },
    };
    return { ok: Object.values(checks).every((c) => c.ok), checks };
  }
}

async function pingDatabase(pool: Pool): Promise<{ ok: boolean; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pool.query("SELECT 1"),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${DB_TIMEOUT_MS} ms`)), DB_TIMEOUT_MS);
      }),
    ]);
    return { ok: true };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}
