import { type Plain, type PlainObject, asArray, asObject, asString, at } from "./values";

/** Type tokens of what the platform's program declares (targets/docker, targets/swarm, targets/kubernetes). */
export const types = {
  dockerContainer: "docker:index/container:Container",
  dockerService: "docker:index/service:Service",
  dockerVolume: "docker:index/volume:Volume",
  dockerServiceConfig: "docker:index/serviceConfig:ServiceConfig",
  k8sDeployment: "kubernetes:apps/v1:Deployment",
  k8sStatefulSet: "kubernetes:apps/v1:StatefulSet",
  k8sDaemonSet: "kubernetes:apps/v1:DaemonSet",
  k8sJob: "kubernetes:batch/v1:Job",
  k8sCronJob: "kubernetes:batch/v1:CronJob",
  k8sPod: "kubernetes:core/v1:Pod",
  k8sService: "kubernetes:core/v1:Service",
  k8sConfigMap: "kubernetes:core/v1:ConfigMap",
  k8sNamespace: "kubernetes:core/v1:Namespace",
  connector: "pulumi-nodejs:dynamic/kafka-connect:Connector",
} as const;

/** The label every target puts on a workload's objects: which platform component it is (mariadb, kafka, ...). */
export const componentLabel = "bigdata.platform/component";

/** A resource as a policy sees it, inputs already plain (see values.ts). */
export interface ResourceView {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: PlainObject;
  readonly protect: boolean;
}

/** Docker's `[{label, value}]` list (containers, services, volumes) as a map. */
export function dockerLabels(v: Plain | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of asArray(v)) {
    const label = asString(at(entry, "label"));
    const value = asString(at(entry, "value"));
    if (label !== undefined && value !== undefined) out[label] = value;
  }
  return out;
}

/** Kubernetes `metadata.labels`. */
export function k8sLabels(props: PlainObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asObject(at(props, "metadata", "labels")) ?? {})) if (typeof v === "string") out[k] = v;
  return out;
}

/** The pod spec of a Kubernetes workload and the input path that leads to it. */
export function podSpecOf(type: string, props: PlainObject): { spec: PlainObject; path: string } | undefined {
  const found = (path: string[]) => {
    const spec = asObject(at(props, ...path));
    return spec === undefined ? undefined : { spec, path: path.join(".") };
  };
  switch (type) {
    case types.k8sPod:
      return found(["spec"]);
    case types.k8sDeployment:
    case types.k8sStatefulSet:
    case types.k8sDaemonSet:
    case types.k8sJob:
      return found(["spec", "template", "spec"]);
    case types.k8sCronJob:
      return found(["spec", "jobTemplate", "spec", "template", "spec"]);
    default:
      return undefined;
  }
}

/** Kubernetes workloads that keep pods running (as opposed to Jobs, which run to completion). */
export const k8sLongRunning: readonly string[] = [types.k8sDeployment, types.k8sStatefulSet, types.k8sDaemonSet, types.k8sPod];

export interface PodContainer {
  readonly container: PlainObject;
  /** Input path of the container, for messages, e.g. `spec.template.spec.containers[0]`. */
  readonly path: string;
  readonly init: boolean;
}

export function podContainers(pod: { spec: PlainObject; path: string }): PodContainer[] {
  const list = (key: "containers" | "initContainers") =>
    asArray(pod.spec[key]).flatMap((c, i) => {
      const container = asObject(c);
      return container === undefined ? [] : [{ container, path: `${pod.path}.${key}[${i}]`, init: key === "initContainers" }];
    });
  return [...list("initContainers"), ...list("containers")];
}

/** A docker Container that runs to completion (the benchmark's one-shot containers): attached until it exits. */
export const isOneShotContainer = (props: PlainObject): boolean => props.attach === true;
