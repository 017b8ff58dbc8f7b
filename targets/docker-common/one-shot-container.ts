import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { jobTriggers, workloadLabels } from "../common/workload-metadata";
import type { JobRun, JobSpec, VolumeSpec } from "../../model/workload";
import type { DeployOptions } from "../../model/target";
import { dockerCpus, entrypointAndCommand, environmentList, labelList } from "./conversions";

export interface OneShotContainerArgs {
  readonly namePrefix: string;
  /** The platform network the job joins (a bridge, or an attachable overlay). */
  readonly networkName: pulumi.Input<string>;
  readonly provider?: docker.Provider;
  /** The Docker volume a job's volume spec mounts. */
  readonly volumeFor: (volume: VolumeSpec) => docker.Volume;
}

/**
 * A job as a container that `pulumi up` starts, attaches to until it exits, and keeps (stopped) with
 * its output in state. Any change of its inputs replaces it, which is what runs the job again; an
 * unchanged job is left alone.
 */
export function oneShotContainer(spec: JobSpec, args: OneShotContainerArgs, opts: DeployOptions): JobRun {
  const { entrypoint, command } = entrypointAndCommand(spec);
  const volumes = (spec.volumes ?? []).map((v) => ({ mount: v.mountPath, volume: args.volumeFor(v) }));
  const containerName = `${args.namePrefix}-${spec.name}`;
  const container = new docker.Container(
    containerName,
    {
      name: containerName,
      hostname: spec.name,
      image: spec.image,
      entrypoints: entrypoint,
      command,
      envs: environmentList(spec),
      user: spec.user,
      labels: labelList({ ...workloadLabels(args.namePrefix, spec), ...jobTriggers(spec) }),
      restart: "no",
      // Wait for the end and keep the output: the results become stack outputs.
      attach: true,
      logs: true,
      // A job that has ended is what is wanted, not drift to restart.
      mustRun: false,
      networksAdvanced: [{ name: args.networkName, aliases: [spec.name] }],
      volumes: volumes.map((v) => ({ volumeName: v.volume.name, containerPath: v.mount })),
      uploads: (spec.files ?? []).map((f) => ({
        file: f.path,
        content: f.secret ? pulumi.secret(f.content) : f.content,
        executable: f.mode === "0755",
      })),
      memory: spec.resources?.memoryMb,
      memorySwap: spec.resources?.memoryMb,
      cpus: spec.resources?.cpus === undefined ? undefined : dockerCpus(spec.resources.cpus),
    },
    {
      parent: opts.parent,
      provider: args.provider,
      dependsOn: [...(opts.dependsOn ?? []), ...volumes.map((v) => v.volume)],
      deleteBeforeReplace: true,
      customTimeouts: { create: `${Math.ceil(spec.timeoutSeconds / 60)}m` },
    },
  );
  return {
    name: spec.name,
    logs: container.containerLogs.apply((l) => (l === undefined || l === null ? undefined : l)),
    resources: [container],
  };
}
