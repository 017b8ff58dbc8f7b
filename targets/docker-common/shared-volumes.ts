import * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import type { VolumeSpec } from "../../model/workload";
import { labelList } from "./conversions";

/**
 * Named volumes that several workloads and jobs mount together (`VolumeSpec.shared`): declared once
 * per name, so `pulumi destroy` removes each exactly once.
 */
export class SharedVolumes {
  private readonly volumes = new Map<string, docker.Volume>();

  constructor(
    private readonly namePrefix: string,
    private readonly parent: pulumi.Resource,
    private readonly provider?: docker.Provider,
  ) {}

  volumeFor(v: VolumeSpec): docker.Volume {
    const volumeName = `${this.namePrefix}-${v.name}`;
    let volume = this.volumes.get(volumeName);
    if (volume === undefined) {
      volume = new docker.Volume(
        volumeName,
        { name: volumeName, labels: labelList({ "bigdata.platform/stack": this.namePrefix, "bigdata.platform/volume": v.name }) },
        { parent: this.parent, provider: this.provider },
      );
      this.volumes.set(volumeName, volume);
    }
    return volume;
  }
}
