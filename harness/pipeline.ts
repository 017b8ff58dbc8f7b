import * as mariadb from "mariadb";
import { type InWorkload, run } from "./shell";

/** A row of the crawler's table, in the shape every stage of the pipeline is compared in. */
export interface Observation {
  readonly id: number;
  readonly source: string;
  readonly location: string;
  /** Epoch milliseconds; DATETIME is UTC by convention. */
  readonly observedAt: number;
  readonly temperatureC: number | null;
  readonly pm10: number | null;
  readonly pm25: number | null;
  readonly ozonePpm: number | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined || v === "null" ? null : Number(v));

export async function withDatabase<T>(
  port: number,
  password: string,
  work: (conn: mariadb.Connection) => Promise<T>,
  host = "127.0.0.1",
): Promise<T> {
  const conn = await mariadb.createConnection({
    host,
    port,
    user: "crawler",
    password,
    database: "testdb",
    dateStrings: true,
    decimalAsNumber: true,
    bigIntAsNumber: true,
  });
  try {
    return await work(conn);
  } finally {
    await conn.end();
  }
}

/** The values of one row the tests and benchmarks write: source, location, observed_at, temperature, pm10, pm2.5, ozone. */
export type ObservationValues = [string, string, string, number, number, number, number];

/** A DATETIME literal (UTC by convention) for epoch milliseconds. */
export const sqlDateTime = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

/** Writes rows into the crawler's table in one batch. */
export async function insertObservations(conn: mariadb.Connection, values: readonly ObservationValues[]): Promise<void> {
  await conn.batch(
    "INSERT INTO test (source, location, observed_at, temperature_c, pm10_ugm3, pm25_ugm3, ozone_ppm) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [...values],
  );
}

/** The e2e tests' own writer rows (source `e2e-writer`): varied values, three seconds apart from May 2021. */
export function writerObservations(count: number): ObservationValues[] {
  return Array.from({ length: count }, (_, i) => [
    "e2e-writer",
    `writer-${i % 7}`,
    sqlDateTime(Date.UTC(2021, 4, 1) + i * 3000),
    (i % 400) / 10 - 5,
    i % 150,
    i % 90,
    (i % 100) / 1000,
  ]);
}

/** Connect's `GET /connectors?expand=status`, by connector name. */
export type ConnectorStatuses = Record<string, { status: { connector: { state: string }; tasks: { state: string }[] } }>;

export async function connectorStatuses(restUrl: string): Promise<ConnectorStatuses> {
  return JSON.parse((await run("curl", ["-fsS", `${restUrl}/connectors?expand=status`])).stdout) as ConnectorStatuses;
}

export async function databaseRows(conn: mariadb.Connection, table = "test"): Promise<Observation[]> {
  const rows: Record<string, unknown>[] = await conn.query(
    `SELECT id, source, location, observed_at, temperature_c, pm10_ugm3, pm25_ugm3, ozone_ppm FROM \`${table}\` ORDER BY id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    source: String(r.source),
    location: String(r.location),
    observedAt: Date.parse(`${String(r.observed_at).replace(" ", "T")}Z`),
    temperatureC: num(r.temperature_c),
    pm10: num(r.pm10_ugm3),
    pm25: num(r.pm25_ugm3),
    ozonePpm: num(r.ozone_ppm),
  }));
}

/** A flat row as the connector writes it (JSON in the topic, a Java map's text in the sink file). */
function fromFields(f: Record<string, unknown>): Observation {
  return {
    id: Number(f.id),
    source: String(f.source),
    location: String(f.location),
    observedAt: Number(f.observed_at),
    temperatureC: num(f.temperature_c),
    pm10: num(f.pm10_ugm3),
    pm25: num(f.pm25_ugm3),
    ozonePpm: num(f.ozone_ppm),
  };
}

/** Runs one of Kafka's command-line tools inside a broker (a container, a pod), with a small heap of its own. */
export function kafkaTool(kafka: InWorkload, command: readonly string[], timeoutMs = 180_000): Promise<string> {
  const [tool, ...args] = command;
  return kafka(["env", "KAFKA_HEAP_OPTS=-Xmx128m", `/opt/kafka/bin/${tool}`, ...args], timeoutMs);
}

/** Records in the topic now: the sum of its partitions' end offsets. */
export async function topicSize(kafka: InWorkload, topic: string): Promise<number> {
  const stdout = await kafkaTool(kafka, ["kafka-get-offsets.sh", "--bootstrap-server", "localhost:9092", "--topic", topic]);
  return stdout
    .split("\n")
    .filter(Boolean)
    .reduce((sum, line) => sum + Number(line.split(":")[2] ?? 0), 0);
}

/**
 * Every record the topic held when called, read inside a broker with the console consumer.
 * Bounded by count, not by an idle timeout: a topic that keeps receiving rows is never idle.
 */
export async function topicRows(kafka: InWorkload, topic: string): Promise<Observation[]> {
  const size = await topicSize(kafka, topic);
  if (size === 0) return [];
  const stdout = await kafkaTool(
    kafka,
    [
      "kafka-console-consumer.sh",
      "--bootstrap-server",
      "localhost:9092",
      "--topic",
      topic,
      "--from-beginning",
      "--max-messages",
      String(size),
      "--timeout-ms",
      "60000",
    ],
    120_000,
  );
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => fromFields(JSON.parse(l) as Record<string, unknown>));
}

/** Parses `{k1=v1, k2=v2}` (java.util.Map#toString), the line format of the FileStream sink for schemaless JSON. */
export function parseJavaMap(line: string): Record<string, string> {
  const body = line.trim().replace(/^\{/, "").replace(/\}$/, "");
  const fields: Record<string, string> = {};
  for (const part of body.split(/, (?=[a-z0-9_]+=)/)) {
    const eq = part.indexOf("=");
    fields[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return fields;
}

export async function sinkRows(connect: InWorkload, file: string): Promise<Observation[]> {
  const text = await connect(["cat", file]).catch(() => "");
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => fromFields(parseJavaMap(l)));
}

/** Rows by id, failing on an id seen twice with different contents. */
export function byId(rows: readonly Observation[]): Map<number, Observation> {
  const map = new Map<number, Observation>();
  for (const r of rows) {
    const seen = map.get(r.id);
    if (seen && JSON.stringify(seen) !== JSON.stringify(r))
      throw new Error(`id ${r.id} arrived twice with different contents: ${JSON.stringify(seen)} vs ${JSON.stringify(r)}`);
    map.set(r.id, r);
  }
  return map;
}

/**
 * The exact comparison of one stage with the table: rows of the snapshot that did not arrive unchanged
 * (lost), and arrived rows that are not rows of the table, unchanged (invented).
 */
export function stageDifferences(
  snapshot: ReadonlyMap<number, Observation>,
  arrived: ReadonlyMap<number, Observation>,
  table: ReadonlyMap<number, Observation>,
): { lost: Observation[]; invented: Observation[] } {
  return {
    lost: [...snapshot.values()].filter((row) => JSON.stringify(arrived.get(row.id)) !== JSON.stringify(row)),
    invented: [...arrived.values()].filter((row) => JSON.stringify(table.get(row.id)) !== JSON.stringify(row)),
  };
}

/** All of the snapshot's ids arrived: the rows by id, else undefined (for `eventually`). */
export function arrivedAll(snapshot: ReadonlyMap<number, Observation>, rows: readonly Observation[]): Map<number, Observation> | undefined {
  const got = byId(rows);
  return [...snapshot.keys()].every((id) => got.has(id)) ? got : undefined;
}
