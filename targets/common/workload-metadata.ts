import type { HealthcheckSpec, JobSpec, WorkloadSpec } from "../../model/workload";

/** One concrete instance of a workload: a singleton, or replica i of an interchangeable set. */
export interface Instance {
  /** Its own DNS name on the platform network. */
  readonly host: string;
  /** Every name it answers to: its own, and the workload's name for a replica set. */
  readonly aliases: readonly string[];
}

/** Instances the way targets that run one container per replica name them: `<name>` or `<name>-<i>`. */
export function instancesOf(spec: WorkloadSpec): Instance[] {
  if (spec.replicas === undefined) return [{ host: spec.name, aliases: [spec.name] }];
  return Array.from({ length: spec.replicas }, (_, i) => {
    const host = `${spec.name}-${i + 1}`;
    return { host, aliases: [host, spec.name] };
  });
}

/** Labels every target puts on what it creates, so a stack's objects can be found and cleaned up. */
export function workloadLabels(namePrefix: string, spec: Pick<WorkloadSpec, "name" | "component">): Record<string, string> {
  return {
    "bigdata.platform/stack": namePrefix,
    "bigdata.platform/component": spec.component,
    "bigdata.platform/workload": spec.name,
  };
}

/**
 * A job's triggers as metadata keys (`bigdata.platform/trigger.<name>`): they reach no process, but a
 * change shows in the preview and makes the target run the job again. Free text, so targets put them
 * where any value is allowed (Docker labels, Kubernetes annotations).
 */
export function jobTriggers(spec: Pick<JobSpec, "triggers">): Record<string, string> {
  return Object.fromEntries(Object.entries(spec.triggers ?? {}).map(([k, v]) => [`bigdata.platform/trigger.${k}`, v]));
}

/** Upper bound of how long a healthy start may take, for targets that wait with a timeout. */
export function startupBudgetSeconds(h: HealthcheckSpec | undefined, floorSeconds = 120): number {
  if (h === undefined) return floorSeconds;
  return Math.max(floorSeconds, h.startPeriodSeconds + h.retries * (h.intervalSeconds + h.timeoutSeconds) + 30);
}

export const seconds = (n: number): string => `${n}s`;

/** For targets whose volumes are per node or per pod: a workload that mounts another's volume is a programming error. */
export function refuseVolumesOfOtherWorkloads(spec: WorkloadSpec, target: string): void {
  const borrowed = (spec.volumes ?? []).find((v) => v.ownedBy !== undefined);
  if (borrowed !== undefined) {
    throw new Error(
      `${spec.name} mounts volume '${borrowed.name}' of ${borrowed.ownedBy}, which the ${target} target cannot do (mountsVolumesOfOtherWorkloads is false)`,
    );
  }
}
