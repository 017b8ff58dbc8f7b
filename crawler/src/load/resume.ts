import type { Pool } from "mariadb";
import type { SyntheticSequence } from "./synthetic";

const IN_LIST_CHUNK = 1000;

/**
 * Where to continue the synthetic sequence after a restart: the first row of the step that the least advanced
 * station has reached. Rows of that step already stored are skipped by the unique key, so resuming re-sends at
 * most about one step; a station with no rows at all (e.g. more locations configured) restarts from row 0, which
 * is slow but still never duplicates. Uses the (source, observed_at) index: one MAX per source, no table scan.
 */
export async function resumeIndex(pool: Pool, table: string, sequence: SyntheticSequence): Promise<number> {
  const latest = new Map<string, Date>();
  for (let from = 0; from < sequence.stationCount; from += IN_LIST_CHUNK) {
    const sources: string[] = [];
    for (let i = from; i < Math.min(sequence.stationCount, from + IN_LIST_CHUNK); i++) sources.push(sequence.sourceOf(i));
    // Formatted in SQL so the value does not depend on how the driver maps DATETIME to the process time zone.
    const rows = await pool.query<Array<{ source: string; latest: string }>>(
      `SELECT source, DATE_FORMAT(MAX(observed_at), '%Y-%m-%dT%H:%i:%sZ') AS latest FROM \`${table}\` WHERE source IN (${sources.map(() => "?").join(",")}) GROUP BY source`,
      sources,
    );
    for (const row of rows) latest.set(row.source, new Date(row.latest));
  }
  let minStep = Number.POSITIVE_INFINITY;
  for (let i = 0; i < sequence.stationCount; i++) {
    const at = latest.get(sequence.sourceOf(i));
    const step = at === undefined ? undefined : sequence.stepOf(at);
    if (step === undefined) return 0;
    minStep = Math.min(minStep, step);
  }
  return Number.isFinite(minStep) ? minStep * sequence.stationCount : 0;
}
