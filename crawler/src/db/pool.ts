import { createPool, type Pool } from "mariadb";
import type { CrawlerConfig } from "../config/env";

/**
 * A pool sized for one writer plus health checks and schema work. `foundRows: false` makes affectedRows count
 * rows actually inserted, so an `ON DUPLICATE KEY UPDATE id = id` that hits an existing row reports 0 and the
 * duplicate counter is exact. The session runs in UTC because observed_at is stored as UTC.
 */
export function openPool(db: CrawlerConfig["db"]): Pool {
  return createPool({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
    connectionLimit: db.poolSize,
    connectTimeout: 5_000,
    acquireTimeout: 10_000,
    foundRows: false,
    initSql: "SET time_zone = '+00:00'",
    insertIdAsNumber: true,
    decimalAsNumber: true,
  });
}
