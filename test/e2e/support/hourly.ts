import type { Observation } from "../../../harness/pipeline";

/** One measure's figures in a location-hour, as the weather job's hourly Parquet names them. */
export interface MeasureFigures {
  readonly min: number | null;
  readonly mean: number | null;
  readonly max: number | null;
  readonly count: number;
}

/** A location-hour of the weather job's hourly output. */
export interface HourlyRow {
  readonly location: string;
  /** The hour's start, `YYYY-MM-DD HH:00:00` UTC. */
  readonly hour: string;
  readonly rows: number;
  readonly measures: Readonly<Record<MeasureName, MeasureFigures>>;
}

export const measureNames = ["temperature_c", "pm10_ugm3", "pm25_ugm3", "ozone_ppm"] as const;
export type MeasureName = (typeof measureNames)[number];

const valueOf: Record<MeasureName, (o: Observation) => number | null> = {
  temperature_c: (o) => o.temperatureC,
  pm10_ugm3: (o) => o.pm10,
  pm25_ugm3: (o) => o.pm25,
  ozone_ppm: (o) => o.ozonePpm,
};

const hourOf = (epochMs: number) => new Date(Math.floor(epochMs / 3_600_000) * 3_600_000).toISOString().slice(0, 19).replace("T", " ");

function figures(values: readonly number[]): MeasureFigures {
  if (values.length === 0) return { min: null, mean: null, max: null, count: 0 };
  return {
    min: Math.min(...values),
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    max: Math.max(...values),
    count: values.length,
  };
}

/**
 * The hourly aggregates of valid observations, computed here from MariaDB's rows, independently of Spark:
 * what the weather job must write for them (the caller passes rows it knows to be valid).
 */
export function expectedHourly(observations: readonly Observation[]): HourlyRow[] {
  const groups = new Map<string, Observation[]>();
  for (const o of observations) {
    const key = `${o.location}\u0000${hourOf(o.observedAt)}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups.entries()]
    .map(([key, rows]) => {
      const [location, hour] = key.split("\u0000");
      const measures = Object.fromEntries(
        measureNames.map((m) => [m, figures(rows.map(valueOf[m]).filter((v): v is number => v !== null))]),
      ) as Record<MeasureName, MeasureFigures>;
      return { location, hour, rows: rows.length, measures };
    })
    .sort((a, b) => a.location.localeCompare(b.location) || a.hour.localeCompare(b.hour));
}

/** A PARQUET_ROW line's object (test/e2e/spark/parquet_rows.py on the hourly output) in the same shape. */
export function hourlyFromParquet(row: Record<string, unknown>): HourlyRow {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const measures = Object.fromEntries(
    measureNames.map((m) => [
      m,
      { min: n(row[`${m}_min`]), mean: n(row[`${m}_mean`]), max: n(row[`${m}_max`]), count: Number(row[`${m}_count`]) },
    ]),
  ) as Record<MeasureName, MeasureFigures>;
  return { location: String(row.location), hour: String(row.hour).slice(0, 19), rows: Number(row.rows), measures };
}

/** Rows in a stable order with means to 9 digits: Spark sums doubles in another order than the test does. */
export function comparableHourly(rows: readonly HourlyRow[]): HourlyRow[] {
  return rows
    .map((r) => ({
      ...r,
      measures: Object.fromEntries(
        measureNames.map((m) => [
          m,
          { ...r.measures[m], mean: r.measures[m].mean === null ? null : Number(r.measures[m].mean!.toFixed(9)) },
        ]),
      ) as HourlyRow["measures"],
    }))
    .sort((a, b) => a.location.localeCompare(b.location) || a.hour.localeCompare(b.hour));
}
