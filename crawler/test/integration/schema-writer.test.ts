import type { Pool } from "mariadb";
import { applySchema } from "../../src/db/schema";
import { ObservationWriter } from "../../src/db/writer";
import { silentLogger } from "../../src/log";
import { Metrics } from "../../src/metrics";
import type { Observation } from "../../src/observation";
import { allRows, countRows, testPool, uniqueTable } from "../helpers/db";

let pool: Pool;
beforeAll(() => {
  pool = testPool();
});
afterAll(() => pool.end());

const obs = (i: number, extra: Partial<Observation> = {}): Observation => ({
  observedAt: new Date(Date.UTC(2021, 4, 12, 5, 0, i * 3)),
  source: "s1",
  location: "서울특별시 강남구 역삼동",
  temperatureC: 21.5,
  pm10Ugm3: 34,
  pm25Ugm3: 18,
  ozonePpm: 0.028,
  ...extra,
});

const never = new AbortController().signal;

describe("schema", () => {
  it("creates the table with the agreed columns and unique key, and re-applying changes nothing", async () => {
    const table = uniqueTable("schema");
    await applySchema(pool, table);
    await applySchema(pool, table);
    const cols = await pool.query<Array<{ COLUMN_NAME: string; COLUMN_TYPE: string; IS_NULLABLE: string; EXTRA: string }>>(
      "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
      [table],
    );
    expect(cols.map((c) => [c.COLUMN_NAME, c.COLUMN_TYPE, c.IS_NULLABLE])).toEqual([
      ["id", "bigint(20) unsigned", "NO"],
      ["observed_at", "datetime", "NO"],
      ["source", "varchar(191)", "NO"],
      ["location", "varchar(100)", "NO"],
      ["temperature_c", "decimal(5,2)", "YES"],
      ["pm10_ugm3", "decimal(7,2)", "YES"],
      ["pm25_ugm3", "decimal(7,2)", "YES"],
      ["ozone_ppm", "decimal(6,4)", "YES"],
      ["collected_at", "timestamp(3)", "NO"],
    ]);
    expect(cols[0]?.EXTRA).toBe("auto_increment");
    const keys = await pool.query<Array<{ Key_name: string; Column_name: string; Non_unique: number }>>(`SHOW INDEX FROM \`${table}\``);
    expect(keys.filter((k) => k.Key_name === "uq_source_observed").map((k) => [k.Column_name, Number(k.Non_unique)])).toEqual([
      ["source", 0],
      ["observed_at", 0],
    ]);
  });

  it("migrates a paper-era table (no location, no collection time, no unique key) in place", async () => {
    const table = uniqueTable("legacy");
    await pool.query(
      `CREATE TABLE \`${table}\` (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, observed_at DATETIME NOT NULL, source VARCHAR(191) NOT NULL, temperature_c DECIMAL(5,2), pm10_ugm3 DECIMAL(7,2), pm25_ugm3 DECIMAL(7,2), ozone_ppm DECIMAL(6,4))`,
    );
    await pool.query(`INSERT INTO \`${table}\` (observed_at, source, temperature_c) VALUES ('2021-05-12 05:00:00', 'old', 20)`);
    await applySchema(pool, table);
    const [row] = await pool.query<Array<{ location: string; collected_at: Date }>>(`SELECT location, collected_at FROM \`${table}\``);
    expect(row?.location).toBe("");
    expect(row?.collected_at).toBeInstanceOf(Date);
    await expect(
      pool.query(`INSERT INTO \`${table}\` (observed_at, source, location) VALUES ('2021-05-12 05:00:00', 'old', 'x')`),
    ).rejects.toMatchObject({
      code: "ER_DUP_ENTRY",
    });
  });
});

describe("ObservationWriter", () => {
  it("inserts each observation exactly once, however often it is written", async () => {
    const table = uniqueTable("writer");
    await applySchema(pool, table);
    const metrics = new Metrics();
    const writer = new ObservationWriter(pool, table, metrics, silentLogger, { retryBaseMs: 10, retryMaxMs: 50 });
    const batch = Array.from({ length: 250 }, (_, i) => obs(i));

    expect(await writer.write(batch, never)).toEqual({ inserted: 250, duplicates: 0, rejected: 0, lost: 0 });
    expect(await writer.write(batch, never)).toEqual({ inserted: 0, duplicates: 250, rejected: 0, lost: 0 });
    const overlap = [...batch.slice(200), ...Array.from({ length: 50 }, (_, i) => obs(250 + i))];
    expect(await writer.write(overlap, never)).toEqual({ inserted: 50, duplicates: 50, rejected: 0, lost: 0 });

    expect(await countRows(pool, table)).toEqual({ rows: 300, distinct: 300 });
    expect(await metrics.total(metrics.rowsWritten)).toBe(300);
    expect(await metrics.total(metrics.rowsDuplicate)).toBe(300);
    const [first] = await allRows(pool, table);
    expect(first).toMatchObject({
      observed_at: "2021-05-12T05:00:00Z",
      source: "s1",
      location: "서울특별시 강남구 역삼동",
      temperature_c: 21.5,
      pm10_ugm3: 34,
      pm25_ugm3: 18,
      ozone_ppm: 0.028,
    });
  });

  it("keeps the good rows of a batch the database refuses, and counts the bad one", async () => {
    const table = uniqueTable("reject");
    await applySchema(pool, table);
    const metrics = new Metrics();
    const writer = new ObservationWriter(pool, table, metrics, silentLogger, { retryBaseMs: 10, retryMaxMs: 50 });
    // Validation upstream never lets this through; the writer must still cope if something does.
    const batch = [obs(1), obs(2, { location: "x".repeat(150) }), obs(3)];
    expect(await writer.write(batch, never)).toEqual({ inserted: 2, duplicates: 0, rejected: 1, lost: 0 });
    expect(await countRows(pool, table)).toEqual({ rows: 2, distinct: 2 });
  });
});
