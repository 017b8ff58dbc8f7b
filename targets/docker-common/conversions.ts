import * as pulumi from "@pulumi/pulumi";
import type { HealthcheckSpec, WorkloadSpec } from "../../model/workload";
import { seconds } from "../common/workload-metadata";

/**
 * Environment as a map for the Docker API. When any value is secret the whole map is marked secret,
 * so state never holds a password in plain text even where the provider stores env as one field.
 */
export function environment(spec: Pick<WorkloadSpec, "env" | "secretEnv">): pulumi.Output<Record<string, string>> {
  const plain = pulumi.output(spec.env ?? {}) as pulumi.Output<Record<string, string>>;
  if (spec.secretEnv === undefined || Object.keys(spec.secretEnv).length === 0) return plain;
  const secret = pulumi.output(spec.secretEnv) as pulumi.Output<Record<string, string>>;
  return pulumi.secret(pulumi.all([plain, secret]).apply(([p, s]) => ({ ...p, ...s })));
}

export function environmentList(spec: Pick<WorkloadSpec, "env" | "secretEnv">): pulumi.Output<string[]> {
  return environment(spec).apply((env) =>
    Object.entries(env)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`),
  );
}

export function dockerHealthcheck(h: HealthcheckSpec) {
  return {
    tests: ["CMD-SHELL", h.shell],
    interval: seconds(h.intervalSeconds),
    timeout: seconds(h.timeoutSeconds),
    retries: h.retries,
    startPeriod: seconds(h.startPeriodSeconds),
  };
}

/**
 * The Docker API splits argv into entrypoint and command: an override of the entrypoint alone would
 * still get the image's default command appended, so both are always set together.
 */
export function entrypointAndCommand(spec: Pick<WorkloadSpec, "name" | "command" | "args">): { entrypoint?: string[]; command?: string[] } {
  if (spec.command !== undefined) {
    if (spec.command.length < 2) throw new Error(`workload ${spec.name}: command needs a program and at least one argument`);
    return { entrypoint: [spec.command[0]], command: spec.command.slice(1) };
  }
  return { command: spec.args === undefined ? undefined : [...spec.args] };
}

export function labelList(labels: Record<string, string>): { label: string; value: string }[] {
  return Object.entries(labels).map(([label, value]) => ({ label, value }));
}

/** Docker reads CPUs back as a decimal with at least one fraction digit ("1.0"). */
export const dockerCpus = (cpus: number): string => (Number.isInteger(cpus) ? cpus.toFixed(1) : String(cpus));
