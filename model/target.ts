import type * as pulumi from "@pulumi/pulumi";
import type { JobRun, JobSpec, Workload, WorkloadSpec } from "./workload";

export interface DeployOptions {
  /** The component the workload's resources belong to. */
  readonly parent: pulumi.Resource;
  /** Workloads (or other resources) that must be ready first. */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/**
 * A deployment target turns workload specs into provider resources. It knows about networks,
 * containers, services and objects, never about Kafka or Spark.
 */
export interface Target {
  deploy(spec: WorkloadSpec, opts: DeployOptions): Workload;
  /** Runs a one-shot job to completion during `pulumi up`; again only when its spec changes. */
  runJob(spec: JobSpec, opts: DeployOptions): JobRun;
  /**
   * Whether a workload may mount another workload's own volume (`VolumeSpec.ownedBy`): true where every volume
   * is on one engine, false where volumes are per node or per pod.
   */
  readonly mountsVolumesOfOtherWorkloads: boolean;
  /** URL at which a published host port is reached from outside the platform. */
  publishedUrl(port: number, path?: string, scheme?: string): string;
}

/** Builds a target inside the platform component (its network or namespace become children). */
export type TargetFactory = (parent: pulumi.Resource) => Target;
