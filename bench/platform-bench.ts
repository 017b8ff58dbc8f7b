/**
 * Measures the dev stack on this machine (a benchmark that prints figures, not a test):
 *   - `pulumi up` from empty to all ready, images cached;
 *   - `pulumi preview` of the unchanged stack;
 *   - memory of the whole stack at rest (sum of container RSS);
 *   - insert-to-topic latency at 1,000 rows/s (p50/p95/p99), from MariaDB's commit time to the broker's append time;
 *   - the highest rate MariaDB → topic sustains without loss.
 * Run with the toolchain on PATH: `npm run bench` (it bootstraps first).
 */
import type * as mariadb from "mariadb";
import { insertObservations, kafkaTool, type ObservationValues, sqlDateTime, topicSize, withDatabase } from "../harness/pipeline";
import { docker, eventually, inContainer } from "../harness/shell";
import { benchStack, mebibytes } from "./bench-stack";

const stackName = "bench-dev";
const prefix = `bigdata-${stackName}`;
const ports = { mariadb: 23306, kafka: 39092, connect: 28083, sparkUi: 28080 };
const topic = "web-crawler-test";
const figures: [string, string][] = [];
const report = (name: string, value: string) => {
  figures.push([name, value]);
  process.stdout.write(`BENCH ${name}: ${value}\n`);
};

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await work();
  return [value, Number(process.hrtime.bigint() - start) / 1e9];
}

const kafkaContainer = `${prefix}-kafka-1`;
const kafka = (...command: string[]) => kafkaTool(inContainer(kafkaContainer), command);

const topicEndOffset = () => topicSize(inContainer(kafkaContainer), topic).catch(() => 0);

/** Inserts rows at `rate` rows/s for `seconds`, in batches every 100 ms; returns rows written and elapsed seconds. */
async function writeAtRate(
  conn: mariadb.Connection,
  rate: number,
  seconds: number,
  tag: string,
): Promise<{ rows: number; elapsed: number }> {
  const perTick = Math.max(1, Math.round(rate / 10));
  const start = Date.now();
  let rows = 0;
  let tick = 0;
  while (Date.now() - start < seconds * 1000) {
    const base = rows;
    const values = Array.from({ length: perTick }, (_, i): ObservationValues => [
      `bench-${tag}`,
      `loc-${(base + i) % 50}`,
      sqlDateTime(Date.UTC(2000, 0, 1) + (base + i) * 1000),
      20.5,
      40,
      20,
      0.03,
    ]);
    await insertObservations(conn, values);
    rows += perTick;
    tick++;
    const wait = start + tick * 100 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return { rows, elapsed: (Date.now() - start) / 1000 };
}

async function main(): Promise<void> {
  // The Spark benchmark job is measured on its own (`npm run bench:spark`); here it would count into `up`.
  const stack = await benchStack(stackName, ports, { benchmark: { enabled: false } });
  try {
    const [outputs, upSeconds] = await timed(() => stack.up());
    report("pulumi up of the dev stack from empty (images cached)", `${upSeconds.toFixed(1)} s (target < 300 s)`);
    const [, previewSeconds] = await timed(() => stack.preview({ expectNoChanges: true }));
    report("pulumi preview of the unchanged dev stack", `${previewSeconds.toFixed(1)} s (target < 30 s)`);

    await new Promise((r) => setTimeout(r, 45_000));
    const stats = (await docker("stats", "--no-stream", "--format", "{{.Name}}\t{{.MemUsage}}"))
      .split("\n")
      .filter((l) => l.startsWith(prefix));
    const perContainer = stats.map((l) => {
      const [name, usage] = l.split("\t");
      return [name.slice(prefix.length + 1), mebibytes(usage.split("/")[0])] as const;
    });
    const total = perContainer.reduce((s, [, mb]) => s + mb, 0);
    report(
      "memory of the dev stack at rest (sum of container RSS)",
      `${(total / 1024).toFixed(2)} GiB (target < 4 GiB): ${perContainer.map(([n, mb]) => `${n} ${mb.toFixed(0)} MiB`).join(", ")}`,
    );

    const password = outputs.mariadbPassword.value as string;
    await withDatabase(ports.mariadb, password, async (conn) => {
      // Let the connector create the topic, then have the broker stamp records with its append time.
      await writeAtRate(conn, 10, 1, "warmup");
      await eventually("the topic", 120_000, async () => ((await topicEndOffset()) > 0 ? true : undefined));
      await kafka(
        "kafka-configs.sh",
        "--bootstrap-server",
        "localhost:9092",
        "--alter",
        "--entity-type",
        "topics",
        "--entity-name",
        topic,
        "--add-config",
        "message.timestamp.type=LogAppendTime",
      );

      const before = await topicEndOffset();
      const written = await writeAtRate(conn, 1000, 30, "latency");
      await eventually("latency rows in the topic", 120_000, async () =>
        (await topicEndOffset()) >= before + written.rows ? true : undefined,
      );
      const consumed = await kafka(
        "kafka-console-consumer.sh",
        "--bootstrap-server",
        "localhost:9092",
        "--topic",
        topic,
        "--from-beginning",
        "--property",
        "print.timestamp=true",
        "--timeout-ms",
        "20000",
      ).catch((e: Error) => e.message);
      const latencies = consumed
        .split("\n")
        .map((l) => /^LogAppendTime:(\d+)\t(\{.*\})$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ appended: Number(m[1]), row: JSON.parse(m[2]) as { source: string; collected_at: string } }))
        .filter((r) => r.row.source === "bench-latency")
        .map((r) => r.appended - Date.parse(r.row.collected_at))
        .sort((a, b) => a - b);
      const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
      report(
        "insert-to-topic latency at 1,000 rows/s",
        `p50 ${pct(50)} ms, p95 ${pct(95)} ms (target < 3000 ms), p99 ${pct(99)} ms, max ${latencies[latencies.length - 1]} ms over ${latencies.length} rows (writer achieved ${(written.rows / written.elapsed).toFixed(0)} rows/s)`,
      );

      let best = 0;
      for (const rate of [2_000, 5_000, 10_000, 20_000, 40_000, 80_000, 160_000]) {
        const start = await topicEndOffset();
        const w = await writeAtRate(conn, rate, 20, `rate-${rate}`);
        const achieved = w.rows / w.elapsed;
        const windowEnd = Date.now();
        const drained = await eventually(`rows of the ${rate}/s window`, 120_000, async () =>
          (await topicEndOffset()) >= start + w.rows ? Date.now() : undefined,
        );
        const drainSeconds = (drained - windowEnd) / 1000;
        const sustained = achieved >= rate * 0.95 && drainSeconds <= 10;
        process.stdout.write(
          `BENCH   rate ${rate}/s: writer ${achieved.toFixed(0)} rows/s, topic caught up ${drainSeconds.toFixed(1)} s after the window, ${sustained ? "sustained" : "not sustained"}\n`,
        );
        if (!sustained) break;
        best = rate;
      }
      const counted: { n: number }[] = await conn.query("SELECT COUNT(*) AS n FROM test");
      const dbCount = Number(counted[0].n);
      const inTopic = await topicEndOffset();
      report(
        "highest sustained rows/s MariaDB → topic",
        `${best} rows/s (no loss: ${inTopic} records in the topic for ${dbCount} rows in the table)`,
      );
    });
  } finally {
    await stack.destroyAndRemove();
  }
  process.stdout.write(`\nFigures:\n${figures.map(([n, v]) => `  ${n}: ${v}`).join("\n")}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
