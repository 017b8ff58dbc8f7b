import { resourcePolicy } from "../lib/policy";
import {
  type ResourceView,
  componentLabel,
  dockerLabels,
  isOneShotContainer,
  k8sLabels,
  k8sLongRunning,
  podContainers,
  podSpecOf,
  types,
} from "../lib/resources";
import { type Plain, asArray, asNumber, asObject, asString, at, isUnknown } from "../lib/values";

/** A check of one long-running container: the fields it lacks, each with what to set. */
type Gap = { field: string; fix: string };

const dockerRestartPolicies = ["always", "unless-stopped", "on-failure"];
const swarmRestartConditions = ["any", "on-failure"];

/** A healthcheck that Docker runs (not absent, not `NONE`). */
const hasDockerHealthcheck = (h: Plain | undefined): boolean => {
  if (isUnknown(h)) return true;
  const tests = asArray(at(h, "tests")).map(asString);
  return tests.length > 0 && tests[0] !== "NONE";
};

/** Long-running containers' restart policy and health check, per target. */
function restartAndHealthGaps(r: ResourceView): Gap[] {
  const gaps: Gap[] = [];
  if (r.type === types.dockerContainer && !isOneShotContainer(r.props)) {
    const restart = asString(r.props.restart);
    if (!isUnknown(r.props.restart) && (restart === undefined || !dockerRestartPolicies.includes(restart)))
      gaps.push({ field: `restart ("${restart ?? "no"}")`, fix: `one of ${dockerRestartPolicies.join(", ")}` });
    if (!hasDockerHealthcheck(r.props.healthcheck))
      gaps.push({ field: "healthcheck", fix: "a test command (the workload spec's healthcheck)" });
  } else if (r.type === types.dockerService) {
    const condition = asString(at(r.props, "taskSpec", "restartPolicy", "condition"));
    if (condition === undefined || !swarmRestartConditions.includes(condition))
      gaps.push({
        field: `taskSpec.restartPolicy.condition ("${condition ?? "unset"}")`,
        fix: `one of ${swarmRestartConditions.join(", ")}`,
      });
    if (!hasDockerHealthcheck(at(r.props, "taskSpec", "containerSpec", "healthcheck")))
      gaps.push({ field: "taskSpec.containerSpec.healthcheck", fix: "a test command" });
  } else if (k8sLongRunning.includes(r.type)) {
    // Deployments and StatefulSets always restart their pods: the readiness probe is what remains to check.
    const pod = podSpecOf(r.type, r.props);
    for (const c of pod === undefined ? [] : podContainers(pod).filter((c) => !c.init))
      if (c.container.readinessProbe === undefined || c.container.readinessProbe === null)
        gaps.push({ field: `${c.path}.readinessProbe`, fix: "a probe (exec, httpGet or tcpSocket)" });
  }
  return gaps;
}

export const restartAndHealthcheck = resourcePolicy<object>({
  name: "workloads-restart-and-health-check",
  description:
    "Every long-running container has a restart policy and a health check (a readiness probe on Kubernetes). Why: " +
    "`pulumi up` orders the platform by readiness (MariaDB and Kafka healthy before Connect, connectors before the " +
    "crawler) and a crashed broker or worker must come back by itself.",
  enforcementLevel: "mandatory",
  check: (r) => restartAndHealthGaps(r).map((g) => `${r.name}: ${g.field} is missing or not allowed; set ${g.fix}.`),
});

/** Positive number, or unknown (judged when known). */
const positive = (v: Plain | undefined): boolean => isUnknown(v) || (asNumber(v) ?? 0) > 0;
const present = (v: Plain | undefined): boolean => isUnknown(v) || (v !== undefined && v !== null && v !== "" && v !== 0);

function limitGaps(r: ResourceView): string[] {
  if (r.type === types.dockerContainer && !isOneShotContainer(r.props)) {
    return [...(positive(r.props.memory) ? [] : ["memory"]), ...(present(r.props.cpus) ? [] : ["cpus"])];
  }
  if (r.type === types.dockerService) {
    const limits = at(r.props, "taskSpec", "resources", "limits");
    return [
      ...(positive(at(limits, "memoryBytes")) ? [] : ["taskSpec.resources.limits.memoryBytes"]),
      ...(positive(at(limits, "nanoCpus")) ? [] : ["taskSpec.resources.limits.nanoCpus"]),
    ];
  }
  if (k8sLongRunning.includes(r.type)) {
    const pod = podSpecOf(r.type, r.props);
    return (pod === undefined ? [] : podContainers(pod).filter((c) => !c.init)).flatMap((c) => {
      const limits = asObject(at(c.container, "resources", "limits"));
      return [
        ...(present(limits?.memory) ? [] : [`${c.path}.resources.limits.memory`]),
        ...(present(limits?.cpu) ? [] : [`${c.path}.resources.limits.cpu`]),
      ];
    });
  }
  return [];
}

/** Where the stack config sets a component's limits (spark's master has none: components/spark-cluster.ts sets its memory). */
const limitSettings: Readonly<Record<string, string>> = {
  mariadb: "bigdata:mariadb.resources.memoryMb and .cpus",
  kafka: "bigdata:kafka.resources.memoryMb and .cpus",
  "kafka-connect": "bigdata:kafkaConnect.resources.memoryMb and .cpus",
  crawler: "bigdata:crawler.resources.memoryMb and .cpus",
};

const componentOf = (r: ResourceView): string | undefined =>
  r.type === types.dockerContainer || r.type === types.dockerService
    ? dockerLabels(r.props.labels)[componentLabel]
    : k8sLabels(r.props)[componentLabel];

export const resourceLimits = resourcePolicy<object>({
  name: "workloads-resource-limits",
  description:
    "Every long-running container has a memory and a CPU limit. Why: the JVMs (Kafka, Connect, Spark) and MariaDB take " +
    "what they find; without limits one of them starves its neighbours on a shared host. Advisory: the committed stacks leave " +
    "some limits to the host's size, and Spark's master and workers take theirs from the spark settings.",
  enforcementLevel: "advisory",
  check: (r) => {
    const missing = limitGaps(r);
    if (missing.length === 0) return [];
    const setting = limitSettings[componentOf(r) ?? ""];
    return [
      `${r.name}: no ${missing.join(" and no ")}; set ${setting ?? "the workload's resources in its component (no stack setting exists for it)"}.`,
    ];
  },
});

export const livenessProbes = resourcePolicy<object>({
  name: "kubernetes-liveness-probes",
  description:
    "Long-running Kubernetes containers have a liveness probe besides the readiness probe. Why: a readiness probe only takes " +
    "a hung broker or worker out of its Service; only a liveness probe makes the kubelet restart it (swarm restarts a task " +
    "whose health check fails; Kubernetes needs this probe for it). Advisory: a too eager liveness probe restarts a slow-starting JVM in a loop, so its thresholds need care.",
  enforcementLevel: "advisory",
  check: (r) => {
    if (!k8sLongRunning.includes(r.type)) return [];
    const pod = podSpecOf(r.type, r.props);
    return (pod === undefined ? [] : podContainers(pod).filter((c) => !c.init))
      .filter((c) => c.container.livenessProbe === undefined || c.container.livenessProbe === null)
      .map(
        (c) =>
          `${r.name}: ${c.path}.livenessProbe is not set; add one with a generous initialDelaySeconds/failureThreshold (e.g. the readiness probe's command).`,
      );
  },
});
