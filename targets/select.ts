import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config/load";
import { DockerTarget } from "./docker/docker-target";
import { KubernetesTarget } from "./kubernetes/kubernetes-target";
import { SwarmTarget } from "./swarm/swarm-target";
import type { TargetFactory } from "../model/target";

/** The one place that maps the configured target to its implementation. */
export function targetFor(cfg: PlatformConfig): TargetFactory {
  switch (cfg.target) {
    case "docker":
      return (parent) => new DockerTarget({ namePrefix: cfg.namePrefix, publishAddress: cfg.docker.publishAddress, publicHost: cfg.publicHost }, parent);
    case "swarm":
      return (parent) => new SwarmTarget({ namePrefix: cfg.namePrefix, publicHost: cfg.publicHost, nodes: cfg.nodes }, parent);
    case "kubernetes":
      return (parent) =>
        new KubernetesTarget(
          {
            namePrefix: cfg.namePrefix,
            namespace: cfg.kubernetes.namespace ?? cfg.namePrefix,
            publicHost: cfg.publicHost,
            storageClass: cfg.kubernetes.storageClass,
            volumeSizeGi: cfg.kubernetes.volumeSizeGi,
            serviceType: cfg.kubernetes.serviceType,
            // The kubernetes provider's own settings, so that job output is read from the same cluster.
            kubeconfig: new pulumi.Config("kubernetes").getSecret("kubeconfig"),
            context: new pulumi.Config("kubernetes").get("context"),
          },
          parent,
        );
  }
}
