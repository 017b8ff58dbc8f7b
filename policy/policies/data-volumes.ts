import { type StackFinding, stackPolicy } from "../lib/policy";
import { type ResourceView, componentLabel, dockerLabels, k8sLabels, types } from "../lib/resources";
import { type DevStackConfig, devStacksSchema, isDevStack } from "../lib/stack";
import { asArray, asString, at } from "../lib/values";

/** Components whose volumes hold data that cannot be rebuilt: MariaDB's rows, Kafka's logs, the sink's file. */
export const dataComponents: readonly string[] = ["mariadb", "kafka", "kafka-connect"];

/**
 * Policies see a resource's `protect` option but not `retainOnDelete` (@pulumi/policy 1.21's PolicyResourceOptions
 * has no field for it), so `protect: true` is what passes. On Kubernetes the per-pod claims are not Pulumi resources:
 * a StatefulSet keeps them when it is deleted unless its persistentVolumeClaimRetentionPolicy says Delete, but deleting
 * the Namespace deletes them with it, so the Namespace is what must be protected.
 */
function dockerVolumeFindings(r: ResourceView): StackFinding[] {
  const component = dockerLabels(r.props.labels)[componentLabel];
  if (component === undefined || !dataComponents.includes(component) || r.protect) return [];
  return [
    {
      urn: r.urn,
      message: `${r.name}: this ${component} data volume is not protected; \`pulumi destroy\` or a rename deletes it with its data. Declare it with the resource option protect: true (or run \`pulumi state protect '${r.urn}'\` and keep the program's option in step).`,
    },
  ];
}

/** Data StatefulSets (a data component with per-pod claims). */
const isDataStatefulSet = (r: ResourceView): boolean => {
  const component = k8sLabels(r.props)[componentLabel];
  return (
    r.type === types.k8sStatefulSet &&
    component !== undefined &&
    dataComponents.includes(component) &&
    asArray(at(r.props, "spec", "volumeClaimTemplates")).length > 0
  );
};

function kubernetesFindings(resources: readonly ResourceView[]): StackFinding[] {
  const statefulSets = resources.filter(isDataStatefulSet);
  const findings: StackFinding[] = statefulSets
    .filter((r) => asString(at(r.props, "spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted")) === "Delete")
    .map((r) => ({
      urn: r.urn,
      message: `${r.name}: spec.persistentVolumeClaimRetentionPolicy.whenDeleted is Delete; set it to Retain (the default) so its claims outlive the StatefulSet.`,
    }));
  for (const ns of resources.filter((n) => n.type === types.k8sNamespace && !n.protect)) {
    const name = asString(at(ns.props, "metadata", "name"));
    const holders = statefulSets.filter((s) => asString(at(s.props, "metadata", "namespace")) === name).map((s) => s.name);
    if (holders.length > 0)
      findings.push({
        urn: ns.urn,
        message: `${ns.name}: namespace ${name} holds the claims of ${holders.join(", ")} and is not protected; deleting it deletes their data. Declare it with the resource option protect: true.`,
      });
  }
  return findings;
}

export function dataVolumeFindings(resources: readonly ResourceView[], config: DevStackConfig): StackFinding[] {
  if (resources.length === 0 || isDevStack(resources[0].urn, config)) return [];
  return [...resources.filter((r) => r.type === types.dockerVolume).flatMap(dockerVolumeFindings), ...kubernetesFindings(resources)];
}

export const dataVolumesProtected = stackPolicy<DevStackConfig>({
  name: "data-volumes-protected",
  description:
    "Outside a dev stack, the volumes holding MariaDB's rows, Kafka's logs and the file sink (and on Kubernetes the namespace " +
    "their claims live in) are protected from deletion (resource option protect). Why: a `pulumi destroy`, a stack mix-up or " +
    "a rename that replaces a volume deletes the data with no way back. Advisory: the program does not set protect yet and the " +
    "end-to-end tests destroy their stacks; findings list what to protect.",
  enforcementLevel: "advisory",
  configSchema: devStacksSchema,
  check: dataVolumeFindings,
});
