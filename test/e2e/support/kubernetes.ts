import * as fs from "fs";
import * as path from "path";
import { type InWorkload, eventually, run } from "../../../harness/shell";
import { repoRoot } from "../../../harness/stack";

/** What test/kubernetes/cluster.sh up prints: the local cluster's kubeconfig, storage, node ports and nodes. */
export interface ClusterTopology {
  readonly kubeconfig: string;
  readonly apiServer: string;
  readonly storageClass: string;
  /** Where node ports answer from this machine. */
  readonly nodePortHost: string;
  /** FIRST-LAST: the node ports published from the cluster to nodePortHost. */
  readonly nodePorts: string;
  readonly nodes: readonly { name: string; container: string; address: string; labels: Record<string, string> }[];
}

/** Starts (or reuses) the local three-node cluster and points kubectl and Pulumi's kubernetes provider at it. */
export async function localCluster(): Promise<ClusterTopology> {
  const { stdout } = await run("bash", [path.join(repoRoot, "test", "kubernetes", "cluster.sh"), "up"], { timeoutMs: 60 * 60_000 });
  const topology = JSON.parse(
    stdout
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .pop() ?? "null",
  ) as ClusterTopology;
  if (!topology || !fs.existsSync(topology.kubeconfig))
    throw new Error(`cluster.sh up printed no topology with a kubeconfig:\n${stdout.slice(-2000)}`);
  // The Automation API's pulumi, its kubernetes provider, JobLogs and kubectl all read it from here.
  process.env.KUBECONFIG = topology.kubeconfig;
  // kubectl of the cluster's own version (built by cluster.sh up, so this answers from the cache).
  const bin = (await run("bash", [path.join(repoRoot, "bootstrap", "kubernetes", "install.sh")], { timeoutMs: 60 * 60_000 })).stdout
    .trim()
    .split("\n")
    .pop();
  process.env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ""}`;
  return topology;
}

/** kubectl with the environment's kubeconfig; its standard output. */
export const kubectl = (...args: string[]) => run("kubectl", args, { timeoutMs: 300_000 }).then((r) => r.stdout);

export const kubectlJson = async <T>(...args: string[]): Promise<T> => JSON.parse(await kubectl(...args, "-o", "json")) as T;

/** A pod's uid: another uid under the same name is a new pod (a StatefulSet's pods keep their names). */
export const podUid = async (namespace: string, pod: string): Promise<string> =>
  (await kubectlJson<{ metadata: { uid: string } }>("-n", namespace, "get", "pod", pod)).metadata.uid;

/** Waits until every Deployment and StatefulSet of the namespace has rolled out: its pods updated and Ready. */
export async function rolledOut(namespace: string): Promise<void> {
  const workloads = (await kubectl("-n", namespace, "get", "deployments,statefulsets", "-o", "name")).split("\n").filter(Boolean);
  for (const w of workloads) await kubectl("-n", namespace, "rollout", "status", w, "--timeout=240s");
}

/** `kubectl exec` into a pod's (first) container. */
export const inPod =
  (namespace: string, pod: string): InWorkload =>
  (argv, timeoutMs) =>
    run("kubectl", ["-n", namespace, "exec", pod, "--", ...argv], { timeoutMs }).then((r) => r.stdout);

export interface PodSummary {
  readonly name: string;
  readonly node: string;
  readonly phase: string;
  readonly ready: boolean;
  readonly workload: string;
  readonly job: boolean;
}

interface PodJson {
  metadata: { name: string; labels?: Record<string, string>; ownerReferences?: { kind: string }[]; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status: { phase: string; conditions?: { type: string; status: string }[] };
}

/** The stack's pods (every object of ours carries the stack label). */
export async function podsOf(namespace: string, namePrefix: string): Promise<PodSummary[]> {
  const list = await kubectlJson<{ items: PodJson[] }>("-n", namespace, "get", "pods", "-l", `bigdata.platform/stack=${namePrefix}`);
  return list.items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => ({
      name: p.metadata.name,
      node: p.spec.nodeName ?? "",
      phase: p.status.phase,
      ready: p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
      workload: p.metadata.labels?.["bigdata.platform/workload"] ?? "",
      job: p.metadata.ownerReferences?.some((o) => o.kind === "Job") ?? false,
    }));
}

/** The Ready pod of a workload. */
export async function podOf(namespace: string, namePrefix: string, workload: string): Promise<PodSummary> {
  return eventually(`a Ready pod of ${workload}`, 300_000, async () =>
    (await podsOf(namespace, namePrefix)).find((p) => p.workload === workload && p.ready),
  );
}

/**
 * A Spark driver as a pod of the namespace, with jobs/ and the e2e's Spark helpers (test/e2e/spark) mounted from a
 * ConfigMap at /jobs, and optionally a claim at its mount path: `script` runs in bash with $POD_IP set (executors connect back to
 * it). Waits until the pod has ended and returns its output; fails with that output unless it succeeded.
 */
export async function driverPod(
  namespace: string,
  name: string,
  script: string,
  opts: { claim?: { name: string; mountPath: string }; nodeSelector?: Record<string, string> } = {},
): Promise<string> {
  const { claim, nodeSelector } = opts;
  const files = (dir: string) =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".py"))
      .map((f) => path.join(dir, f));
  await kubectl("-n", namespace, "delete", "pod", name, "--ignore-not-found", "--wait=true");
  await kubectl("-n", namespace, "delete", "configmap", `${name}-files`, "--ignore-not-found");
  await kubectl(
    "-n",
    namespace,
    "create",
    "configmap",
    `${name}-files`,
    ...[...files(path.join(repoRoot, "jobs")), ...files(path.join(repoRoot, "test", "e2e", "spark"))].map((f) => `--from-file=${f}`),
  );
  const sparkImage = (
    await kubectlJson<{ items: { spec: { template: { spec: { containers: { image: string }[] } } } }[] }>(
      "-n",
      namespace,
      "get",
      "deployments",
      "-l",
      "bigdata.platform/workload=spark-master",
    )
  ).items[0].spec.template.spec.containers[0].image;
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: { "bigdata.platform/test": "e2e-driver" } },
    spec: {
      restartPolicy: "Never",
      nodeSelector,
      containers: [
        {
          name: "driver",
          image: sparkImage,
          command: ["bash", "-c", script],
          env: [{ name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } }],
          resources: { limits: { memory: "1536Mi" } },
          volumeMounts: [{ name: "files", mountPath: "/jobs" }, ...(claim ? [{ name: "data", mountPath: claim.mountPath }] : [])],
        },
      ],
      volumes: [
        { name: "files", configMap: { name: `${name}-files` } },
        ...(claim ? [{ name: "data", persistentVolumeClaim: { claimName: claim.name } }] : []),
      ],
    },
  };
  await run("kubectl", ["apply", "-f", "-"], { input: JSON.stringify(pod) });
  const phase = await eventually(`driver pod ${name} to end`, 900_000, async () => {
    const p = await kubectlJson<PodJson>("-n", namespace, "get", "pod", name);
    return p.status.phase === "Succeeded" || p.status.phase === "Failed" ? p.status.phase : undefined;
  });
  const logs = await kubectl("-n", namespace, "logs", name);
  await kubectl("-n", namespace, "delete", "pod", name, "--wait=false");
  await kubectl("-n", namespace, "delete", "configmap", `${name}-files`, "--ignore-not-found");
  if (phase !== "Succeeded") throw new Error(`driver pod ${name} failed; its output ends:\n${logs.slice(-3000)}`);
  return logs;
}
