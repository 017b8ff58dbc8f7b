import type { Pool } from "mariadb";
import { openPool } from "../../src/db/pool";

/** Connection settings of the test MariaDB, as env vars for the crawler. */
export function dbEnv(): Record<string, string> {
  const need = (name: string) => {
    const v = process.env[name];
    if (v === undefined) throw new Error(`${name} is not set: run the tests through jest (global setup starts MariaDB)`);
    return v;
  };
  return {
    CRAWLER_DB_HOST: need("CRAWLER_TEST_DB_HOST"),
    CRAWLER_DB_PORT: need("CRAWLER_TEST_DB_PORT"),
    CRAWLER_DB_USER: need("CRAWLER_TEST_DB_USER"),
    CRAWLER_DB_PASSWORD: need("CRAWLER_TEST_DB_PASSWORD"),
    CRAWLER_DB_NAME: need("CRAWLER_TEST_DB_NAME"),
  };
}

/** A pool configured exactly as the service's (the writer's duplicate accounting relies on foundRows: false). */
export function testPool(): Pool {
  const env = dbEnv();
  return openPool({
    host: env.CRAWLER_DB_HOST as string,
    port: Number(env.CRAWLER_DB_PORT),
    user: env.CRAWLER_DB_USER as string,
    password: env.CRAWLER_DB_PASSWORD as string,
    database: env.CRAWLER_DB_NAME as string,
    poolSize: 2,
  });
}

let counter = 0;
/** A table name no other test file uses, so test files can run in parallel against one server. */
export function uniqueTable(prefix: string): string {
  counter++;
  return `t_${prefix}_${process.pid}_${counter}`.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 64);
}

export interface Row {
  id: number;
  observed_at: string;
  source: string;
  location: string;
  temperature_c: number | null;
  pm10_ugm3: number | null;
  pm25_ugm3: number | null;
  ozone_ppm: number | null;
}

export async function allRows(pool: Pool, table: string): Promise<Row[]> {
  return pool.query<Row[]>(
    `SELECT id, DATE_FORMAT(observed_at, '%Y-%m-%dT%H:%i:%sZ') AS observed_at, source, location, temperature_c, pm10_ugm3, pm25_ugm3, ozone_ppm FROM \`${table}\` ORDER BY id`,
  );
}

export async function countRows(pool: Pool, table: string): Promise<{ rows: number; distinct: number }> {
  const [r] = await pool.query<Array<{ rows: number; distinct_keys: number }>>(
    `SELECT COUNT(*) AS \`rows\`, COUNT(DISTINCT source, observed_at) AS distinct_keys FROM \`${table}\``,
  );
  return { rows: Number(r?.rows ?? 0), distinct: Number(r?.distinct_keys ?? 0) };
}
