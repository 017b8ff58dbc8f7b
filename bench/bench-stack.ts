import { TestStack } from "../harness/stack";

/** MiB in a `docker stats` memory figure ("123.4MiB", "1.2GiB", "800kB"); 0 when it is not one. */
export function mebibytes(text: string): number {
  const m = /^([\d.]+)\s*([KMG]i?B|B)/.exec(text.trim());
  if (!m) return 0;
  return Number(m[1]) * ({ B: 1 / 2 ** 20, KiB: 1 / 1024, KB: 1 / 1024, MiB: 1, MB: 1, GiB: 1024, GB: 1024 }[m[2]] ?? 0);
}

export interface BenchPorts {
  readonly mariadb: number;
  readonly kafka: number;
  readonly connect: number;
  readonly sparkUi: number;
}

/**
 * A throwaway copy of the dev stack for a benchmark: its own published ports (so it can run beside a
 * deployed dev stack), no crawler (benchmarks make their own load), plus the given overrides.
 */
export function benchStack(name: string, ports: BenchPorts, overrides: Record<string, unknown>): Promise<TestStack> {
  return TestStack.create(name, "dev", {
    mariadb: { port: ports.mariadb },
    kafka: { externalPortBase: ports.kafka },
    kafkaConnect: { restPort: ports.connect },
    dashboards: { sparkUi: { port: ports.sparkUi } },
    crawler: { enabled: false },
    ...overrides,
  });
}
