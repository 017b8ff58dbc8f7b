import * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import type { VolumeSpec } from "../../model/workload";
import { labelList } from "./conversions";

/** A Docker engine other than the default one, named so that its volumes get their own resource names. */
export interface Engine {
  readonly name: string;
  readonly provider: docker.Provider;
}

/**
 * Named volumes that several workloads and jobs mount together (`VolumeSpec.shared`): declared once
 * per name and engine, so `pulumi destroy` removes each exactly once, on the engine that holds it.
 */
export class SharedVolumes {
  private readonly volumes = new Map<string, docker.Volume>();

  constructor(
    private readonly namePrefix: string,
    private readonly parent: pulumi.Resource,
    private readonly provider?: docker.Provider,
  ) {}

  /** The volume on `engine`, or on the default engine when none is given. */
  volumeFor(v: VolumeSpec, engine?: Engine): docker.Volume {
    const volumeName = `${this.namePrefix}-${v.name}`;
    const resourceName = engine === undefined ? volumeName : `${volumeName}-on-${engine.name}`;
    let volume = this.volumes.get(resourceName);
    if (volume === undefined) {
      volume = new docker.Volume(
        resourceName,
        { name: volumeName, labels: labelList({ "bigdata.platform/stack": this.namePrefix, "bigdata.platform/volume": v.name }) },
        { parent: this.parent, provider: engine?.provider ?? this.provider },
      );
      this.volumes.set(resourceName, volume);
    }
    return volume;
  }
}
