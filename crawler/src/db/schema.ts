import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Pool } from "mariadb";

const SCHEMA_FILE = join("schema", "observations.sql");

/**
 * The DDL lives once, in schema/observations.sql, shared with the platform's MariaDB init script. It is found by
 * walking up from this file, which works both from src/ under ts-jest and from dist/src/ in the image.
 */
export function findSchemaFile(start: string = __dirname): string {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, SCHEMA_FILE);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`cannot find ${SCHEMA_FILE} above ${start}`);
}

/** The statements of the schema file for one table, comments removed, in order. */
export function schemaStatements(table: string, sqlText: string = readFileSync(findSchemaFile(), "utf8")): string[] {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(table)) throw new Error(`unsafe table name "${table}"`);
  return sqlText
    .replace(/\{\{table\}\}/g, table)
    .split("\n")
    .filter((line) => !/^\s*--/.test(line))
    .map((line) => line.replace(/\s+--\s.*$/, "")) // trailing comments
    .join("\n")
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Creates the table or brings an older one up to date. Every statement is idempotent (IF NOT EXISTS), so this
 * runs on every start; on an up-to-date table MariaDB skips the ALTERs without rebuilding anything.
 */
export async function applySchema(pool: Pool, table: string): Promise<void> {
  const conn = await pool.getConnection();
  try {
    for (const statement of schemaStatements(table)) await conn.query(statement);
  } finally {
    await conn.release();
  }
}
