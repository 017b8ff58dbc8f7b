import { TestStack } from "../test/e2e/support/stack";

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
