import { parseRun, type RunResult, table6, table6Markdown } from "../../../components/benchmark-results";

const size = (overrides: Partial<RunResult["sizes"][number]> = {}): RunResult["sizes"][number] => ({
  size_mb: 1000,
  dataset: { name: "1000mb-seed1", files: 4, rows: 8996724, bytes: 1000000045 },
  submit_wall_s: 17,
  rows_read: 8996724,
  rows_valid: 8987727,
  rows_dropped_total: 8997,
  job_s: 14.7,
  rows_per_s: 612022,
  mb_per_s: 68.1,
  mb_per_s_per_core: 34.1,
  cores: 2,
  executors: 1,
  stages_s: { session_s: 2.2, scan_aggregate_s: 12 },
  driver_peak_rss_mb: 872,
  ...overrides,
});
const run = (mode: "local" | "cluster", sizes: RunResult["sizes"]): RunResult => ({
  mode,
  master: mode === "local" ? "local[2]" : "spark://spark-master:7077",
  seed: 1,
  sizes,
});
const logs = (r: RunResult) => `benchmark: dataset 1000mb-seed1: reusing\nsome spark warning\nBENCHMARK_RESULT ${JSON.stringify(r)}\n`;

describe("benchmark results", () => {
  test("the runner's last result line is read and checked", () => {
    const local = run("local", [size()]);
    expect(parseRun(logs(local), "local")).toEqual(local);
    expect(() => parseRun(logs(local), "cluster")).toThrow("expected a cluster-mode result, got local");
  });

  test("a failed run is an error quoting the runner, with how to run it again", () => {
    expect(() =>
      parseRun("benchmark: local 20 MB: spark-submit\nBENCHMARK_FAILED local 20 MB: rows_read 10 != the dataset's 12 rows\n", "local"),
    ).toThrow(
      /benchmark local-mode run gave no result; BENCHMARK_FAILED local 20 MB: rows_read 10 != the dataset's 12 rows\nFix the cause, then change benchmark.runId/,
    );
    expect(() => parseRun("Traceback (most recent call last):\nOSError: disk full", "cluster")).toThrow(
      /its output ends:\nTraceback.*\nOSError: disk full/s,
    );
  });

  test("a size pairs both modes: speed-up over job times, overhead over wall times", () => {
    const cluster = size({
      submit_wall_s: 29.5,
      job_s: 21,
      mb_per_s: 47.6,
      mb_per_s_per_core: 23.8,
      executors: 2,
      executors_peak_memory: [{ id: "0", host: "172.18.0.5", jvm_heap_mb: 410.2, rss_mb: 702 }],
    });
    const [row] = table6(run("local", [size()]), run("cluster", [cluster]));
    expect(row).toMatchObject({
      data: "1000mb-seed1 (4 weekly parts)",
      rows: 8996724,
      validRows: 8987727,
      bytes: 1000000045,
      speedUp: 0.7,
      clusterOverheadSeconds: 12.5,
      local: { master: "local[2]", wallSeconds: 17, jobSeconds: 14.7, mbPerSecondPerCore: 34.1, cores: 2, driverPeakRssMb: 872 },
      cluster: {
        master: "spark://spark-master:7077",
        executors: 2,
        executorsPeakMemory: [{ host: "172.18.0.5", jvmHeapMb: 410.2, rssMb: 702 }],
      },
    });
    expect(table6Markdown([row])).toContain(
      "| 1.00 GB, 1000mb-seed1 (4 weekly parts) | 8,996,724 | 0:17 (job 14.7 s, 2 cores) | 0:30 (job 21.0 s, 2 executors, 2 cores) | 0.70 | 68.1 (34.1) | 47.6 (23.8) |",
    );
  });

  test("modes that disagree on the data are an error, not a table", () => {
    expect(() => table6(run("local", [size()]), run("cluster", [size({ rows_valid: 1 })]))).toThrow(
      "local and cluster mode disagree on 1000 MB",
    );
    expect(() => table6(run("local", [size()]), run("cluster", [size({ size_mb: 870 })]))).toThrow(
      "the cluster-mode run has no result for 1000 MB",
    );
  });
});
