import { z } from "zod";
import type { ConfigIssue } from "../../config/issues";
import { dnsLabel, type ParsedPlatformConfig, positiveInt } from "../../config/schema";
import { publishedPorts } from "../../config/services";

export const kubernetesSettingsSchema = z.strictObject({
  namespace: dnsLabel.optional().describe("Namespace for every object; defaults to the name prefix."),
  storageClass: z.string().min(1).optional().describe("StorageClass of the PersistentVolumeClaims; the cluster default when unset."),
  volumeSizeGi: positiveInt.default(5).describe("Size of each PersistentVolumeClaim in GiB."),
  serviceType: z
    .enum(["LoadBalancer", "NodePort"])
    .default("LoadBalancer")
    .describe(
      "How published ports leave the cluster: `LoadBalancer` Services (a cloud or a load-balancer implementation gives them an address), or `NodePort` Services on every node, where each published port is the node port (a bare cluster).",
    ),
  nodePortRange: z
    .string()
    .regex(/^\d{1,5}-\d{1,5}$/, "must be FIRST-LAST, e.g. 30000-32767")
    .default("30000-32767")
    .describe("The API server's --service-node-port-range: with serviceType NodePort every published port must lie in it."),
});
export type KubernetesSettings = z.output<typeof kubernetesSettingsSchema>;

/** With NodePort Services a published port is the node port, which the API server only hands out from its range. */
export function nodePortRules(settings: KubernetesSettings, cfg: ParsedPlatformConfig): ConfigIssue[] {
  if (settings.serviceType !== "NodePort") return [];
  const [first, last] = settings.nodePortRange.split("-").map(Number);
  return publishedPorts(cfg)
    .filter(([, p]) => p < first || p > last)
    .map(([key, p]) => ({
      key: key.split(" ")[0],
      message: `with kubernetes.serviceType NodePort a published port is a node port and must lie in kubernetes.nodePortRange ${first}-${last}; got ${p}${key.includes(" ") ? ` ${key.slice(key.indexOf(" ") + 1)}` : ""}`,
    }));
}
