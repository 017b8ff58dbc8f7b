import * as pulumi from "@pulumi/pulumi";
import { unpinnedImages } from "../../config/rules";
import { defineTarget } from "../definition";
import { KubernetesTarget } from "./kubernetes-target";
import { type KubernetesSettings, kubernetesSettingsSchema, nodePortRules } from "./settings";

export const kubernetesTargetDefinition = defineTarget<KubernetesSettings>({
  kind: "kubernetes",
  summary: "a Kubernetes cluster",
  settings: kubernetesSettingsSchema,
  check: (settings, cfg, images) => [...nodePortRules(settings, cfg), ...unpinnedImages("kubernetes", images)],
  create: (settings, cfg, parent) => {
    // The kubernetes provider's own settings, so that job output is read from the same cluster.
    const provider = new pulumi.Config("kubernetes");
    return new KubernetesTarget(
      {
        namePrefix: cfg.namePrefix,
        namespace: settings.namespace ?? cfg.namePrefix,
        publicHost: cfg.publicHost,
        storageClass: settings.storageClass,
        volumeSizeGi: settings.volumeSizeGi,
        serviceType: settings.serviceType,
        kubeconfig: provider.getSecret("kubeconfig"),
        context: provider.get("context"),
      },
      parent,
    );
  },
});
