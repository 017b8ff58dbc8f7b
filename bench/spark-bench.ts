/**
 * Measures the benchmark job (the paper's Table 6) as the dev stack deploys it (a benchmark that prints
 * figures, not a test): `pulumi up` of the dev stack with the benchmark on, while `docker stats` samples
 * the memory of the Spark master, the workers and the two job containers; then prints the stack's
 * Table 6 output, the stage times of both modes and the peak memory of master, workers, executors and
 * drivers, and destroys the stack.
 *   npm run bench:spark            # 1000 MB
 *   BENCH_SIZES_MB=870,4400 npm run bench:spark
 * It also writes Table 6 next to each other as Markdown, JSON rows and the console's chart (SVG) into
 * bench-results/ (BENCH_RESULTS_DIR).
 */
import { docker } from "../harness/shell";
import { benchStack, mebibytes } from "./bench-stack";
import * as path from "path";
import type { Table6Row } from "../components/benchmark-results";
import { repoRoot } from "../harness/stack";
import { writeTable6 } from "./table6-chart";

const stackName = "bench-spark";
const prefix = `bigdata-${stackName}`;
const ports = { mariadb: 23307, kafka: 39192, connect: 28084, sparkUi: 28081 };
const sizesMb = (process.env.BENCH_SIZES_MB ?? "1000").split(",").map(Number);

/** Samples `docker stats` until stopped; keeps each Spark or benchmark container's peak memory. */
function sampleMemory(): { stop: () => Promise<Map<string, number>> } {
  const peaks = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const out = await docker("stats", "--no-stream", "--format", "{{.Name}}\t{{.MemUsage}}").catch(() => "");
      for (const line of out.split("\n")) {
        const [name, usage] = line.split("\t");
        if (!name?.startsWith(`${prefix}-spark`) && !name?.startsWith(`${prefix}-benchmark`)) continue;
        peaks.set(name, Math.max(peaks.get(name) ?? 0, mebibytes(usage ?? "")));
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return peaks;
    },
  };
}

async function main(): Promise<void> {
  const stack = await benchStack(stackName, ports, { benchmark: { enabled: true, sizesMb } });
  try {
    const sampler = sampleMemory();
    const started = Date.now();
    const outputs = await stack.up();
    const upSeconds = (Date.now() - started) / 1000;
    const peaks = await sampler.stop();
    const rows = outputs.benchmarkTable6.value as Table6Row[];
    const load = (await import("os"))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
    process.stdout.write(
      `\nBENCH pulumi up with the benchmark (${sizesMb.join(", ")} MB): ${upSeconds.toFixed(1)} s; load average now ${load}\n\n`,
    );
    process.stdout.write(`${outputs.benchmarkTable6Markdown.value}\n\n`);
    const written = await writeTable6(process.env.BENCH_RESULTS_DIR ?? path.join(repoRoot, "bench-results"), rows);
    process.stdout.write(`BENCH Table 6 written: ${written.map((f) => path.relative(repoRoot, f)).join(", ")}\n\n`);
    for (const r of rows) {
      for (const [mode, f] of [
        ["local", r.local],
        ["cluster", r.cluster],
      ] as const) {
        const stages = Object.entries(f.stagesSeconds)
          .map(([k, v]) => `${k.replace(/_s$/, "")} ${v.toFixed(1)}`)
          .join(", ");
        process.stdout.write(
          `BENCH ${r.sizeMb} MB ${mode}: job ${f.jobSeconds.toFixed(1)} s, spark-submit ${f.wallSeconds.toFixed(1)} s, ${f.mbPerSecond.toFixed(1)} MB/s, ` +
            `${f.mbPerSecondPerCore.toFixed(1)} MB/s per core (target >= 25), ${f.cores} cores; stages: ${stages}; driver peak RSS ${f.driverPeakRssMb ?? "?"} MB` +
            (f.executorsPeakMemory
              ? `; executors peak ${f.executorsPeakMemory.map((e) => `${e.host} heap ${e.jvmHeapMb ?? "?"} MB / RSS ${e.rssMb ?? "?"} MB`).join(", ")}`
              : "") +
            "\n",
        );
      }
      process.stdout.write(
        `BENCH ${r.sizeMb} MB: speed-up ${r.speedUp} (local job time / cluster job time), cluster overhead ${r.clusterOverheadSeconds} s of wall time\n`,
      );
    }
    for (const [name, mb] of [...peaks.entries()].sort())
      process.stdout.write(`BENCH peak memory ${name.slice(prefix.length + 1)}: ${mb.toFixed(0)} MiB (docker stats)\n`);
  } finally {
    await stack.destroyAndRemove();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
