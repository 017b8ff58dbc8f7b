import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { instancesOf, startupBudgetSeconds, workloadLabels } from "../common/workload-metadata";
import type { JobRun, JobSpec, Workload, WorkloadSpec } from "../../model/workload";
import { dockerCpus, dockerHealthcheck, entrypointAndCommand, environmentList, labelList } from "../docker-common/conversions";
import { oneShotContainer } from "../docker-common/one-shot-container";
import { SharedVolumes } from "../docker-common/shared-volumes";
import type { DeployOptions, Target } from "../../model/target";

export interface DockerTargetArgs {
  readonly namePrefix: string;
  /** Host address published ports bind to. */
  readonly publishAddress: string;
  /** Host name in URLs of published ports. */
  readonly publicHost: string;
  readonly provider?: docker.Provider;
}

/**
 * One Docker host: a bridge network, a container per instance with a healthcheck that `pulumi up`
 * waits on, and a named volume per instance and mount.
 */
export class DockerTarget implements Target {
  readonly network: docker.Network;
  readonly mountsVolumesOfOtherWorkloads = true;
  private readonly sharedVolumes: SharedVolumes;
  /** The own volumes of single-instance workloads, by `<workload>/<volume>`, for `VolumeSpec.ownedBy`. */
  private readonly singleInstanceVolumes = new Map<string, docker.Volume>();

  constructor(
    private readonly args: DockerTargetArgs,
    parent: pulumi.Resource,
  ) {
    const name = `${args.namePrefix}-net`;
    this.sharedVolumes = new SharedVolumes(args.namePrefix, parent, args.provider);
    this.network = new docker.Network(
      name,
      { name, driver: "bridge", labels: labelList({ "bigdata.platform/stack": args.namePrefix }) },
      { parent, provider: args.provider },
    );
  }

  deploy(spec: WorkloadSpec, opts: DeployOptions): Workload {
    const { namePrefix, provider, publishAddress } = this.args;
    const labels = labelList(workloadLabels(namePrefix, spec));
    const { entrypoint, command } = entrypointAndCommand(spec);
    const envs = environmentList(spec);

    const instances = instancesOf(spec);
    const containers = instances.map((instance) => {
      const volumes = (spec.volumes ?? []).map((v) => {
        if (v.ownedBy !== undefined) return { ...v, volume: this.volumeOwnedBy(v.ownedBy, v.name, spec.name) };
        if (v.shared) return { ...v, volume: this.sharedVolumes.volumeFor(v) };
        const volumeName = `${namePrefix}-${instance.host}-${v.name}`;
        const volume = new docker.Volume(volumeName, { name: volumeName, labels }, { parent: opts.parent, provider });
        if (instances.length === 1) this.singleInstanceVolumes.set(`${spec.name}/${v.name}`, volume);
        return { ...v, volume };
      });
      const containerName = `${namePrefix}-${instance.host}`;
      return new docker.Container(
        containerName,
        {
          name: containerName,
          hostname: instance.host,
          image: spec.image,
          entrypoints: entrypoint,
          command,
          envs,
          user: spec.user,
          labels,
          restart: "unless-stopped",
          networksAdvanced: [{ name: this.network.name, aliases: [...instance.aliases] }],
          ports: (spec.ports ?? [])
            .filter((p) => p.published !== undefined)
            .map((p) => ({ internal: p.containerPort, external: p.published, ip: publishAddress })),
          volumes: volumes.map((v) => ({ volumeName: v.volume.name, containerPath: v.mountPath, readOnly: v.readOnly })),
          uploads: (spec.files ?? []).map((f) => ({
            file: f.path,
            content: f.secret ? pulumi.secret(f.content) : f.content,
            executable: f.mode === "0755",
          })),
          healthcheck: spec.healthcheck ? dockerHealthcheck(spec.healthcheck) : undefined,
          // Waiting on the healthcheck is what makes dependants start only after this is ready.
          wait: spec.healthcheck !== undefined,
          waitTimeout: startupBudgetSeconds(spec.healthcheck),
          memory: spec.resources?.memoryMb,
          // Docker reports swap back when memory is limited; stating "no swap" keeps previews clean.
          memorySwap: spec.resources?.memoryMb,
          cpus: spec.resources?.cpus === undefined ? undefined : dockerCpus(spec.resources.cpus),
          stopTimeout: spec.stopGracePeriodSeconds,
          destroyGraceSeconds: spec.stopGracePeriodSeconds,
        },
        {
          parent: opts.parent,
          provider,
          dependsOn: [...(opts.dependsOn ?? []), ...volumes.map((v) => v.volume)],
          // Container names are fixed (they are DNS names), so a replacement must remove the old one first.
          deleteBeforeReplace: true,
        },
      );
    });
    return { name: spec.name, readiness: containers };
  }

  private volumeOwnedBy(owner: string, volume: string, mountedBy: string): docker.Volume {
    const found = this.singleInstanceVolumes.get(`${owner}/${volume}`);
    if (found === undefined) {
      throw new Error(
        `${mountedBy} mounts volume '${volume}' of ${owner}, which is not a single-instance workload deployed before it with that volume`,
      );
    }
    return found;
  }

  runJob(spec: JobSpec, opts: DeployOptions): JobRun {
    return oneShotContainer(
      spec,
      {
        namePrefix: this.args.namePrefix,
        networkName: this.network.name,
        provider: this.args.provider,
        volumeFor: (v) => this.sharedVolumes.volumeFor(v),
      },
      opts,
    );
  }

  publishedUrl(port: number, path = "", scheme = "http"): string {
    return `${scheme}://${this.args.publicHost}:${port}${path}`;
  }
}
