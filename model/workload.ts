import type * as pulumi from "@pulumi/pulumi";

/**
 * A target-neutral description of one workload. Components describe what runs; a target
 * (targets/docker, targets/swarm, targets/kubernetes) decides how: containers, services or objects.
 */
export interface WorkloadSpec {
  /** Short DNS name on the platform network, e.g. `kafka-1`; stable across targets. */
  readonly name: string;
  /** The component it belongs to, for labels and grouping, e.g. `kafka`. */
  readonly component: string;
  readonly image: string;
  /** Full argv replacing the image's entrypoint and command; the image's own when omitted. */
  readonly command?: readonly string[];
  /** Arguments to the image's own entrypoint, replacing its default command (e.g. server flags). */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Environment values kept as secrets: Pulumi secrets in state, Kubernetes Secrets, swarm secrets.
   * The image must also accept each `KEY` as `KEY_FILE` (a file holding the value), as the official
   * database images do: targets that mount secrets as files pass them that way.
   */
  readonly secretEnv?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Files placed in the container before it starts (configuration, init scripts). */
  readonly files?: readonly FileSpec[];
  readonly ports?: readonly PortSpec[];
  /** Persistent volumes; each replica gets its own. */
  readonly volumes?: readonly VolumeSpec[];
  readonly healthcheck?: HealthcheckSpec;
  readonly resources?: ResourceSpec;
  /**
   * Interchangeable replicas (Spark workers, Connect workers). Replica i is reachable as `<name>-<i>`
   * where the target can name replicas, and `name` reaches all of them.
   */
  readonly replicas?: number;
  readonly placement?: PlacementSpec;
  readonly user?: string;
  /** Seconds a stop waits for the process after SIGTERM before killing it. */
  readonly stopGracePeriodSeconds?: number;
}

export interface FileSpec {
  /** Absolute path inside the container. */
  readonly path: string;
  readonly content: pulumi.Input<string>;
  /** The content holds secrets (a password in an init script). */
  readonly secret?: boolean;
  /** Octal permission string, e.g. "0644" (default) or "0755" for scripts. */
  readonly mode?: string;
}

export interface PortSpec {
  /** IANA-style port name, e.g. `http`, `kafka`; lower-case, at most 15 characters. */
  readonly name: string;
  readonly containerPort: number;
  /** Host port the target publishes outside the platform network; internal only when omitted. */
  readonly published?: number;
}

export interface VolumeSpec {
  readonly name: string;
  readonly mountPath: string;
  /**
   * One volume for every replica and every workload or job that mounts a shared volume of this name,
   * instead of one per replica: data a job and the Spark workers must all see at the same path.
   * Targets spanning several hosts need storage that all of them reach for this.
   */
  readonly shared?: boolean;
  /**
   * Mounts the volume `name` of another workload's single instance (deployed before this one) instead of one of
   * this workload's own: a view of the files it writes. Only targets whose `mountsVolumesOfOtherWorkloads` is true
   * accept it (one engine holds every volume); the others throw.
   */
  readonly ownedBy?: string;
  /** Mounted read-only. */
  readonly readOnly?: boolean;
}

export interface HealthcheckSpec {
  /** A shell command run inside the container; healthy when it exits 0. */
  readonly shell: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  /** Grace time after start during which failures do not count. */
  readonly startPeriodSeconds: number;
}

export interface ResourceSpec {
  readonly cpus?: number;
  readonly memoryMb?: number;
}

export interface PlacementSpec {
  /** Labels the node must carry. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Pin to one node by name: stateful workloads stay with their volumes. */
  readonly node?: string;
  /** Most replicas per node, to spread interchangeable replicas. */
  readonly maxReplicasPerNode?: number;
}

/**
 * A one-shot task that runs to completion during `pulumi up` (a benchmark run). It runs again only
 * when its spec changes, so everything that should trigger a new run must be part of the spec
 * (its files, command, env or `triggers`). A job is one instance, so each of its `volumes` is the
 * shared volume of that name, whether or not it is marked `shared`.
 */
export interface JobSpec extends Pick<
  WorkloadSpec,
  "name" | "component" | "image" | "command" | "env" | "files" | "volumes" | "resources" | "placement" | "user"
> {
  readonly command: readonly string[];
  /** Longest the run may take before `pulumi up` fails. */
  readonly timeoutSeconds: number;
  /**
   * Values that do not reach the process but must cause a new run when they change (metadata keys from
   * `jobTriggers`: Docker labels, Kubernetes annotations).
   */
  readonly triggers?: Readonly<Record<string, string>>;
}

/** What a target hands back for a job. */
export interface JobRun {
  readonly name: string;
  /** Its standard output and error once it has ended; undefined if the target's provider returned none. */
  readonly logs: pulumi.Output<string | undefined>;
  readonly resources: readonly pulumi.Resource[];
}

/** What a target hands back for a deployed workload. */
export interface Workload {
  readonly name: string;
  /** Resources to depend on: they complete only when the workload is running and healthy. */
  readonly readiness: readonly pulumi.Resource[];
}
