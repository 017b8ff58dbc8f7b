import { z } from "zod";

/** The line jobs/run_benchmark.py ends a successful run with, and the one it prints on failure. */
export const resultPrefix = "BENCHMARK_RESULT ";
export const failurePrefix = "BENCHMARK_FAILED ";

const sizeResult = z.object({
  size_mb: z.number(),
  dataset: z.object({ name: z.string(), files: z.number(), rows: z.number(), bytes: z.number() }),
  submit_wall_s: z.number(),
  rows_read: z.number(),
  rows_valid: z.number(),
  rows_dropped_total: z.number(),
  job_s: z.number(),
  rows_per_s: z.number(),
  mb_per_s: z.number(),
  mb_per_s_per_core: z.number(),
  cores: z.number(),
  executors: z.number(),
  stages_s: z.record(z.string(), z.number()),
  driver_peak_rss_mb: z.number().nullish(),
  executors_peak_memory: z
    .array(z.object({ id: z.string().nullish(), host: z.string(), jvm_heap_mb: z.number().nullish(), rss_mb: z.number().nullish() }))
    .optional(),
});
const runResult = z.object({ mode: z.enum(["local", "cluster"]), master: z.string(), seed: z.number(), sizes: z.array(sizeResult) });

export type RunResult = z.infer<typeof runResult>;
type SizeResult = z.infer<typeof sizeResult>;

/** One mode's figures for one size, as the stack output shows them. */
export interface ModeFigures {
  readonly master: string;
  /** spark-submit's wall time, JVM start included: what a user waits. */
  readonly wallSeconds: number;
  /** The job itself (after the session started): what the throughput figures are over. */
  readonly jobSeconds: number;
  readonly rowsPerSecond: number;
  readonly mbPerSecond: number;
  readonly mbPerSecondPerCore: number;
  readonly cores: number;
  readonly executors: number;
  /** Wall seconds by stage: session start, waiting for executors, planning, the scan, the writes. */
  readonly stagesSeconds: Readonly<Record<string, number>>;
  readonly driverPeakRssMb?: number;
  /** Per executor: host, peak JVM heap and peak resident memory of its process tree (cluster mode). */
  readonly executorsPeakMemory?: readonly { host: string; jvmHeapMb?: number; rssMb?: number }[];
}

/** A row of the paper's Table 6: the same data in local mode and in cluster mode. */
export interface Table6Row {
  readonly data: string;
  readonly sizeMb: number;
  readonly rows: number;
  readonly validRows: number;
  readonly bytes: number;
  readonly files: number;
  readonly local: ModeFigures;
  readonly cluster: ModeFigures;
  /** Local job time over cluster job time: above 1 the cluster is faster. */
  readonly speedUp: number;
  /** Cluster minus local wall time, JVM starts included: the price of the cluster on this data. */
  readonly clusterOverheadSeconds: number;
}

/**
 * The result of one run from its output. A run that failed, or whose output is not the runner's,
 * is an error that quotes what the runner said, so `pulumi up` shows the reason.
 */
export function parseRun(logs: string, mode: "local" | "cluster"): RunResult {
  const lines = logs.split(/\r?\n/);
  const line = lines.filter((l) => l.startsWith(resultPrefix)).pop();
  if (line === undefined) {
    const failure = lines.filter((l) => l.startsWith(failurePrefix)).pop();
    const said = failure ?? `its output ends:\n${lines.slice(-25).join("\n")}`;
    throw new Error(
      `benchmark ${mode}-mode run gave no result; ${said}\n` +
        "Fix the cause, then change benchmark.runId (or any other benchmark input) so that `pulumi up` runs it again.",
    );
  }
  const parsed = runResult.safeParse(JSON.parse(line.slice(resultPrefix.length)));
  if (!parsed.success) throw new Error(`benchmark ${mode}-mode result is not in the expected form: ${parsed.error.message}`);
  if (parsed.data.mode !== mode) throw new Error(`benchmark: expected a ${mode}-mode result, got ${parsed.data.mode}`);
  return parsed.data;
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

function figures(run: RunResult, r: SizeResult): ModeFigures {
  return {
    master: run.master,
    wallSeconds: r.submit_wall_s,
    jobSeconds: r.job_s,
    rowsPerSecond: r.rows_per_s,
    mbPerSecond: r.mb_per_s,
    mbPerSecondPerCore: r.mb_per_s_per_core,
    cores: r.cores,
    executors: r.executors,
    stagesSeconds: r.stages_s,
    ...(r.driver_peak_rss_mb != null ? { driverPeakRssMb: r.driver_peak_rss_mb } : {}),
    ...(r.executors_peak_memory
      ? {
          executorsPeakMemory: r.executors_peak_memory.map((e) => ({
            host: e.host,
            ...(e.jvm_heap_mb != null ? { jvmHeapMb: e.jvm_heap_mb } : {}),
            ...(e.rss_mb != null ? { rssMb: e.rss_mb } : {}),
          })),
        }
      : {}),
  };
}

/** Pairs the two runs size by size; both must have run the same datasets with the same counts. */
export function table6(local: RunResult, cluster: RunResult): Table6Row[] {
  return local.sizes.map((l) => {
    const c = cluster.sizes.find((s) => s.size_mb === l.size_mb);
    if (c === undefined) throw new Error(`benchmark: the cluster-mode run has no result for ${l.size_mb} MB`);
    if (c.dataset.bytes !== l.dataset.bytes || c.rows_valid !== l.rows_valid || c.rows_read !== l.rows_read) {
      throw new Error(
        `benchmark: local and cluster mode disagree on ${l.size_mb} MB: rows read ${l.rows_read} vs ${c.rows_read}, valid ${l.rows_valid} vs ${c.rows_valid}, bytes ${l.dataset.bytes} vs ${c.dataset.bytes}`,
      );
    }
    return {
      data: `${l.dataset.name} (${l.dataset.files} weekly part${l.dataset.files === 1 ? "" : "s"})`,
      sizeMb: l.size_mb,
      rows: l.rows_read,
      validRows: l.rows_valid,
      bytes: l.dataset.bytes,
      files: l.dataset.files,
      local: figures(local, l),
      cluster: figures(cluster, c),
      speedUp: round(l.job_s / c.job_s),
      clusterOverheadSeconds: round(c.submit_wall_s - l.submit_wall_s),
    };
  });
}

const minutes = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, "0")}`;

/** The table as Markdown, laid out like the paper's Table 6 with the throughput figures beside. */
export function table6Markdown(rows: readonly Table6Row[]): string {
  const header = [
    "| data | rows | local mode | cluster mode | speed-up | local MB/s (per core) | cluster MB/s (per core) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const body = rows.map(
    (r) =>
      `| ${(r.bytes / 1e9).toFixed(2)} GB, ${r.data} | ${r.rows.toLocaleString("en-US")} | ${minutes(r.local.wallSeconds)} (job ${r.local.jobSeconds.toFixed(1)} s, ${r.local.cores} cores) | ` +
      `${minutes(r.cluster.wallSeconds)} (job ${r.cluster.jobSeconds.toFixed(1)} s, ${r.cluster.executors} executors, ${r.cluster.cores} cores) | ${r.speedUp.toFixed(2)} | ` +
      `${r.local.mbPerSecond.toFixed(1)} (${r.local.mbPerSecondPerCore.toFixed(1)}) | ${r.cluster.mbPerSecond.toFixed(1)} (${r.cluster.mbPerSecondPerCore.toFixed(1)}) |`,
  );
  return [...header, ...body].join("\n");
}

/** One row of the console's Table 6 file (console/README.md, "Table 6 file"): one dataset size in one mode. */
export interface ConsoleTable6Row {
  readonly size_mb: number;
  readonly mode: "local" | "cluster";
  readonly job_s: number;
  readonly submit_wall_s: number;
  readonly mb_per_s: number;
  readonly mb_per_s_per_core: number;
  readonly rows_per_s: number;
  readonly cores: number;
  readonly executors: number;
  readonly rows: number;
  readonly rows_valid: number;
}

/** The table as the console's chart reads it: a row per size and mode. */
export function consoleTable6Rows(rows: readonly Table6Row[]): ConsoleTable6Row[] {
  return rows.flatMap((r) =>
    (["local", "cluster"] as const).map((mode) => {
      const f = r[mode];
      return {
        size_mb: r.sizeMb,
        mode,
        job_s: f.jobSeconds,
        submit_wall_s: f.wallSeconds,
        mb_per_s: f.mbPerSecond,
        mb_per_s_per_core: f.mbPerSecondPerCore,
        rows_per_s: f.rowsPerSecond,
        cores: f.cores,
        executors: f.executors,
        rows: r.rows,
        rows_valid: r.validRows,
      };
    }),
  );
}
