import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { refuseVolumesOfOtherWorkloads, startupBudgetSeconds, workloadLabels } from "../common/workload-metadata";
import type { FileSpec, JobRun, JobSpec, PlacementSpec, ResourceSpec, Workload, WorkloadSpec } from "../../model/workload";
import { dockerHealthcheck, entrypointAndCommand, labelList } from "../docker-common/conversions";
import { oneShotContainer } from "../docker-common/one-shot-container";
import { type Engine, SharedVolumes } from "../docker-common/shared-volumes";
import { ServiceContainersGone } from "../../providers/docker-node/service-containers-gone";
import type { DeployOptions, Target } from "../../model/target";

export interface SwarmNode {
  readonly name: string;
  /** Docker API of that node, to create the volumes of workloads pinned to it. */
  readonly dockerHost?: string;
}

/** A node's engine, reached through its own API. */
interface NodeEngine extends Engine {
  readonly dockerHost: string;
}

export interface SwarmTargetArgs {
  readonly namePrefix: string;
  /** Host name in URLs of published ports (a node's address: ports are published in host mode). */
  readonly publicHost: string;
  readonly nodes: readonly SwarmNode[];
  /** Provider for the swarm manager's API. */
  readonly provider?: docker.Provider;
}

/** Docker's stop grace period when a service sets none. */
const dockerDefaultStopGraceSeconds = 10;
/** Beyond the grace period: the node's agent learning of the removal, and removing the stopped container. */
const stopMarginSeconds = 60;

/** Swarm placement constraints for a workload. */
export function swarmConstraints(p: PlacementSpec | undefined): string[] {
  if (p === undefined) return [];
  const constraints = Object.entries(p.labels ?? {}).map(([k, v]) => `node.labels.${k}==${v}`);
  if (p.node !== undefined) constraints.push(`node.hostname==${p.node}`);
  return constraints;
}

function swarmLimits(r: ResourceSpec | undefined) {
  if (r?.cpus === undefined && r?.memoryMb === undefined) return undefined;
  return {
    limits: {
      nanoCpus: r.cpus === undefined ? undefined : Math.round(r.cpus * 1e9),
      memoryBytes: r.memoryMb === undefined ? undefined : r.memoryMb * 1024 * 1024,
    },
  };
}

/**
 * A Docker Swarm: an attachable overlay network and a service per workload. The routing mesh is not
 * used anywhere: services resolve by DNS round-robin (`dnsrr`) and publish ports in host mode, which
 * is also what Kafka needs (each broker must be reached at the address it advertises).
 */
export class SwarmTarget implements Target {
  /** Volumes are per node (swarm) or per pod (Kubernetes): no workload sees another's. */
  readonly mountsVolumesOfOtherWorkloads = false;
  readonly network: docker.Network;
  private readonly nodeEngines = new Map<string, NodeEngine>();
  private readonly sharedVolumes: SharedVolumes;

  constructor(
    private readonly args: SwarmTargetArgs,
    parent: pulumi.Resource,
  ) {
    const name = `${args.namePrefix}-net`;
    // Swarm's local volumes are per node: shared ones are declared on the manager, and the
    // configuration rules keep the workloads that share data on one node.
    this.sharedVolumes = new SharedVolumes(args.namePrefix, parent, args.provider);
    this.network = new docker.Network(
      name,
      { name, driver: "overlay", attachable: true, labels: labelList({ "bigdata.platform/stack": args.namePrefix }) },
      { parent, provider: args.provider },
    );
    for (const node of args.nodes) {
      if (node.dockerHost === undefined) continue;
      this.nodeEngines.set(node.name, {
        name: node.name,
        dockerHost: node.dockerHost,
        provider: new docker.Provider(`${args.namePrefix}-node-${node.name}`, { host: node.dockerHost }, { parent }),
      });
    }
  }

  deploy(spec: WorkloadSpec, opts: DeployOptions): Workload {
    refuseVolumesOfOtherWorkloads(spec, "swarm");
    const { namePrefix, provider } = this.args;
    const labels = workloadLabels(namePrefix, spec);
    const serviceName = `${namePrefix}-${spec.name}`;
    const { entrypoint, command } = entrypointAndCommand(spec);

    // Swarm creates a missing volume on whichever node runs the task; declaring it (on the node the
    // workload is pinned to) is what lets `pulumi destroy` remove it again.
    const engine = this.engineFor(spec.placement);
    const volumes = (spec.volumes ?? []).map((v) => {
      if (v.shared) return { mount: v.mountPath, volume: this.sharedVolumes.volumeFor(v, engine) };
      const volumeName = `${serviceName}-${v.name}`;
      return {
        mount: v.mountPath,
        volume: new docker.Volume(
          volumeName,
          { name: volumeName, labels: labelList(labels) },
          { parent: opts.parent, provider: this.providerOn(engine) },
        ),
      };
    });
    const volumesFreed =
      engine && volumes.length > 0
        ? this.volumesFreedGuard(
            serviceName,
            spec,
            engine,
            volumes.map((v) => v.volume),
            opts.parent,
          )
        : undefined;
    const files = (spec.files ?? []).map((f, i) => this.fileObject(serviceName, f, i, opts.parent));
    // Secret values become swarm secrets read through `<NAME>_FILE`: an env value that is a secret
    // would make the whole task spec secret in state and hide every change from `pulumi preview`.
    const secretEnv = Object.entries(spec.secretEnv ?? {}).map(([key, value]) => ({
      key,
      // 0444 as Docker's default: the process may drop root (MariaDB's init runs as mysql).
      mount: this.fileObject(
        serviceName,
        { path: `/run/secrets/${key}`, content: value, secret: true, mode: "0444" },
        key.toLowerCase(),
        opts.parent,
      ),
    }));
    const env = {
      ...(spec.env ?? {}),
      ...Object.fromEntries(secretEnv.map(({ key }) => [`${key}_FILE`, `/run/secrets/${key}`])),
    };
    const mounted = [...files, ...secretEnv.map((s) => s.mount)];

    const replicas = spec.replicas ?? 1;
    const published = (spec.ports ?? []).filter((p) => p.published !== undefined);
    const service = new docker.Service(
      serviceName,
      {
        name: serviceName,
        labels: labelList(labels),
        mode: { replicated: { replicas } },
        endpointSpec: {
          mode: "dnsrr",
          ports: published.map((p) => ({
            name: p.name,
            targetPort: p.containerPort,
            publishedPort: p.published,
            publishMode: "host",
            protocol: "tcp",
          })),
        },
        taskSpec: {
          containerSpec: {
            image: spec.image,
            hostname: spec.replicas === undefined ? spec.name : `${spec.name}-{{.Task.Slot}}`,
            commands: entrypoint,
            args: command,
            env,
            user: spec.user,
            labels: labelList(labels),
            mounts: volumes.map((v) => ({ type: "volume", source: v.volume.name, target: v.mount })),
            configs: mounted.filter((f) => f.kind === "config").map((f) => f.ref),
            secrets: mounted.filter((f) => f.kind === "secret").map((f) => f.ref),
            healthcheck: spec.healthcheck ? dockerHealthcheck(spec.healthcheck) : undefined,
            stopGracePeriod: spec.stopGracePeriodSeconds === undefined ? undefined : `${spec.stopGracePeriodSeconds}s`,
          },
          // `id`, not `name`: the provider reads the network back as its id, so `name` would diff after a refresh.
          networksAdvanceds: [{ id: this.network.id, aliases: [spec.name] }],
          placement: {
            constraints: swarmConstraints(spec.placement),
            // Host-mode ports allow one task per node; interchangeable replicas spread by this too.
            maxReplicas: spec.placement?.maxReplicasPerNode ?? (published.length > 0 ? 1 : undefined),
          },
          // Only when a limit is set: the provider cannot take an empty limits block.
          resources: swarmLimits(spec.resources),
          restartPolicy: { condition: "any", delay: "5s", window: "60s" },
        },
        // Stop before start: tasks hold host ports and volumes that a second task could not share.
        updateConfig: { parallelism: 1, order: "stop-first", failureAction: "pause", monitor: "30s" },
        // Without a converge config a service is fire-and-forget; with it `pulumi up` waits for tasks to run.
        convergeConfig: { delay: "5s", timeout: `${startupBudgetSeconds(spec.healthcheck, 300)}s` },
      },
      {
        parent: opts.parent,
        provider,
        dependsOn: [...(opts.dependsOn ?? []), ...volumes.map((v) => v.volume), ...(volumesFreed ? [volumesFreed] : [])],
      },
    );
    return { name: spec.name, readiness: [service] };
  }

  /**
   * A job runs as a plain container on the attachable overlay network, on the node it is pinned to
   * (when that node's API is known) or on the manager.
   */
  runJob(spec: JobSpec, opts: DeployOptions): JobRun {
    const engine = this.engineFor(spec.placement);
    return oneShotContainer(
      spec,
      {
        namePrefix: this.args.namePrefix,
        networkName: this.network.name,
        provider: this.providerOn(engine),
        volumeFor: (v) => this.sharedVolumes.volumeFor(v, engine),
      },
      opts,
    );
  }

  /** The engine of the node a placement pins to, when its API is known (else the manager's is used). */
  private engineFor(placement: PlacementSpec | undefined): NodeEngine | undefined {
    return placement?.node === undefined ? undefined : this.nodeEngines.get(placement.node);
  }

  /** The node's own API when known, else the manager's. */
  private providerOn(engine: NodeEngine | undefined): docker.Provider | undefined {
    return engine?.provider ?? this.args.provider;
  }

  /**
   * Deletion of the volumes a pinned service mounts on its node waits until the node has removed the service's
   * containers (the provider itself waits only for the manager's; see ServiceContainersGone).
   */
  private volumesFreedGuard(
    serviceName: string,
    spec: WorkloadSpec,
    engine: NodeEngine,
    volumes: docker.Volume[],
    parent: pulumi.Resource,
  ) {
    return new ServiceContainersGone(
      `${serviceName}-volumes-freed`,
      {
        dockerHost: engine.dockerHost,
        nodeName: engine.name,
        serviceName,
        timeoutSeconds: (spec.stopGracePeriodSeconds ?? dockerDefaultStopGraceSeconds) + stopMarginSeconds,
      },
      { parent, dependsOn: volumes },
    );
  }

  /** Swarm configs and secrets are immutable; a content change replaces them under a new generated name. */
  private fileObject(serviceName: string, f: FileSpec, index: number | string, parent: pulumi.Resource) {
    const base = `${serviceName}-file-${index}`;
    const data = pulumi.output(f.content).apply((c) => Buffer.from(c, "utf8").toString("base64"));
    const fileMode = parseInt(f.mode ?? "0644", 8);
    if (f.secret) {
      const secret = new docker.Secret(base, { data: pulumi.secret(data) }, { parent, provider: this.args.provider });
      return { kind: "secret" as const, ref: { secretId: secret.id, secretName: secret.name, fileName: f.path, fileMode } };
    }
    const config = new docker.ServiceConfig(base, { data }, { parent, provider: this.args.provider });
    return { kind: "config" as const, ref: { configId: config.id, configName: config.name, fileName: f.path, fileMode } };
  }

  publishedUrl(port: number, path = "", scheme = "http"): string {
    return `${scheme}://${this.args.publicHost}:${port}${path}`;
  }
}
