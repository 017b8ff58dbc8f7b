import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { FileSpec, PlacementSpec, VolumeSpec } from "../model/workload";
import type { Target } from "../model/target";
import { parseRun, type Table6Row, table6, table6Markdown } from "./benchmark-results";
import type { PlatformConfig } from "../config/load";
import { benchmarkLocalCores } from "../config/derived";
import { pinnedPlacements } from "../model/placement";
import { sparkDataVolume } from "./spark-cluster";

/** The job's Python sources, by file name (jobs/weather_job.py, generate_dataset.py, run_benchmark.py). */
export type JobSources = Readonly<Record<"weather_job.py" | "generate_dataset.py" | "run_benchmark.py", string>>;

/** The job's Python files as the program ships them into the job's container (the repository's jobs/ by default). */
export function readJobSources(jobsSourceDirectory: string = path.join(__dirname, "..", "jobs")): JobSources {
  const read = (file: keyof JobSources) => fs.readFileSync(path.join(jobsSourceDirectory, file), "utf8");
  return {
    "weather_job.py": read("weather_job.py"),
    "generate_dataset.py": read("generate_dataset.py"),
    "run_benchmark.py": read("run_benchmark.py"),
  };
}

export interface BenchmarkJobArgs {
  readonly target: Target;
  /** The Spark image the cluster runs (spark-submit, python3, pyspark). */
  readonly image: string;
  readonly sources: JobSources;
  /** Dataset sizes in MB; one Table 6 row each. */
  readonly sizesMb: readonly number[];
  readonly seed: number;
  readonly masterUrl: string;
  /** The cluster's workers: executors to wait for, and what a cluster run gets. */
  readonly workers: number;
  readonly workerCores: number;
  readonly executorMemoryMb: number;
  /** Cores of the local-mode run (and its container's CPU limit). */
  readonly localCores: number;
  readonly driverMemoryMb: number;
  readonly timeoutMinutes: number;
  /** Changing it runs both modes again. */
  readonly runId: string;
  /** Where datasets and outputs live: mounted at the same path by the workers. */
  readonly dataVolume: VolumeSpec;
  /** Where the runs go (on targets where the shared volume is per node, the workers' node). */
  readonly placement?: PlacementSpec;
  /** The Spark cluster must be up before the cluster-mode run. */
  readonly dependsOn: readonly pulumi.Resource[];
}

const jobsDirectory = "/opt/bigdata/jobs";

/** Hash of the job code: a change of any of the files is a new benchmark. */
export function sourcesHash(sources: JobSources): string {
  const hash = crypto.createHash("sha256");
  for (const name of Object.keys(sources).sort()) hash.update(`${name}\0${sources[name as keyof JobSources]}\0`);
  return hash.digest("hex").slice(0, 16);
}

/**
 * The paper's Table 6 as a resource: the weather job on the same generated datasets in Spark local
 * mode (`local[N]` in one container) and then in cluster mode (the deployed master and workers).
 * Both runs are jobs of the target, so they run again only when their inputs change: the sizes and
 * seed, the job code, the cluster's size, or `runId`.
 */
export class BenchmarkJob extends pulumi.ComponentResource {
  /** Per size: rows, bytes, both modes' times and throughputs, speed-up; undefined if a run's output could not be read back. */
  readonly table6: pulumi.Output<Table6Row[] | undefined>;
  readonly table6Markdown: pulumi.Output<string | undefined>;

  constructor(name: string, args: BenchmarkJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bigdata:platform:BenchmarkJob", name, {}, opts);
    const files: FileSpec[] = Object.entries(args.sources).map(([file, content]) => ({ path: `${jobsDirectory}/${file}`, content }));
    const triggers = { "job-sha256": sourcesHash(args.sources), "run-id": args.runId };
    const common = [
      "python3",
      `${jobsDirectory}/run_benchmark.py`,
      "--sizes-mb",
      args.sizesMb.join(","),
      "--seed",
      String(args.seed),
      "--data-dir",
      `${args.dataVolume.mountPath}/weather`,
      "--output-dir",
      `${args.dataVolume.mountPath}/out`,
      "--driver-memory-mb",
      String(args.driverMemoryMb),
    ];
    const timeoutSeconds = args.timeoutMinutes * 60;
    // Headroom above the heap for the JVM outside it and for Python.
    const memoryMb = args.driverMemoryMb + 1024;

    const local = args.target.runJob(
      {
        name: "benchmark-local",
        component: "benchmark",
        image: args.image,
        command: [...common, "--mode", "local", "--local-cores", String(args.localCores)],
        files,
        volumes: [args.dataVolume],
        resources: { cpus: args.localCores, memoryMb },
        placement: args.placement,
        timeoutSeconds,
        triggers,
      },
      // After the cluster is up, so that the two never compete for the cores.
      { parent: this, dependsOn: args.dependsOn },
    );
    const cluster = args.target.runJob(
      {
        name: "benchmark-cluster",
        component: "benchmark",
        image: args.image,
        command: [
          ...common,
          "--mode",
          "cluster",
          "--master",
          args.masterUrl,
          "--executors",
          String(args.workers),
          "--executor-memory-mb",
          String(args.executorMemoryMb),
        ],
        files,
        volumes: [args.dataVolume],
        resources: { memoryMb },
        placement: args.placement,
        timeoutSeconds,
        triggers: { ...triggers, cluster: `${args.workers} workers x ${args.workerCores} cores` },
      },
      { parent: this, dependsOn: [...args.dependsOn, ...local.resources] },
    );

    const rows = pulumi
      .all([local.logs, cluster.logs])
      .apply(([l, c]) => (l === undefined || c === undefined ? undefined : table6(parseRun(l, "local"), parseRun(c, "cluster"))));
    this.table6 = rows;
    this.table6Markdown = rows.apply((r) => (r === undefined ? undefined : table6Markdown(r)));
    this.registerOutputs({ table6: this.table6 });
  }
}

/** The benchmark as the stack config describes it, on the given Spark cluster. */
export function benchmarkJobArgs(
  cfg: PlatformConfig,
  target: Target,
  sources: JobSources,
  spark: { readonly masterUrl: string; readonly readiness: readonly pulumi.Resource[] },
): BenchmarkJobArgs {
  const b = cfg.benchmark;
  const w = cfg.spark.workers;
  return {
    target,
    image: cfg.images.spark,
    sources,
    sizesMb: b.sizesMb,
    seed: b.seed,
    masterUrl: spark.masterUrl,
    workers: w.count,
    workerCores: w.cores,
    executorMemoryMb: w.memoryMb,
    localCores: benchmarkLocalCores(cfg),
    driverMemoryMb: b.driverMemoryMb,
    timeoutMinutes: b.timeoutMinutes,
    runId: b.runId,
    dataVolume: sparkDataVolume,
    // With the workers, whose node holds the data volume on targets where it is per node.
    placement: pinnedPlacements(cfg.nodes, w.placement, 1)[0],
    dependsOn: spark.readiness,
  };
}
