/**
 * `JobLogs`: the output of a completed Kubernetes Job's pod, read once through the API server when the resource is
 * created (after the Job, which the kubernetes provider awaits to completion) and kept in state as `logs`. A new Job
 * (another uid) replaces it, so the logs are read again exactly when the Job ran again.
 *
 * Why: the kubernetes provider has no way to read a pod's logs, and a Job's results (the benchmark's Table 6) are
 * printed by its process; the docker targets read them from the container the same way.
 */
import * as pulumi from "@pulumi/pulumi";
import { endpointOf, kubeconfigText, kubeGet } from "./kube-api";

export interface JobLogsArgs {
  readonly namespace: pulumi.Input<string>;
  readonly jobName: pulumi.Input<string>;
  /** The Job's uid: its pods carry it in their owner references, and a new Job means new logs. */
  readonly jobUid: pulumi.Input<string>;
  /** The container whose output is read. */
  readonly container: pulumi.Input<string>;
  /** Kubeconfig text; by default the one the kubernetes provider reads too ($KUBECONFIG, else ~/.kube/config). */
  readonly kubeconfig?: pulumi.Input<string>;
  /** Context of that kubeconfig; its current context by default. */
  readonly context?: pulumi.Input<string>;
}

interface JobLogsInputs {
  namespace: string;
  jobName: string;
  jobUid: string;
  container: string;
  kubeconfig?: string;
  context?: string;
}

const REQUEST_TIMEOUT_MS = 30_000;

interface PodList {
  items?: { metadata?: { name?: string; creationTimestamp?: string; ownerReferences?: { uid?: string }[] }; status?: { phase?: string } }[];
}

function inputsOf(raw: Record<string, unknown>): JobLogsInputs {
  for (const key of ["namespace", "jobName", "jobUid", "container"] as const) {
    if (typeof raw[key] !== "string" || !raw[key]) throw new Error(`JobLogs: ${key} must be a non-empty string`);
  }
  return raw as unknown as JobLogsInputs;
}

/** The output of the Job's pod that ran last (a succeeded one first), as the API server's log endpoint gives it. */
export async function readJobLogs(inputs: JobLogsInputs): Promise<string> {
  const { text, source } = kubeconfigText(inputs.kubeconfig);
  const endpoint = endpointOf(text, source, inputs.context);
  const ns = encodeURIComponent(inputs.namespace);
  const pods: NonNullable<PodList["items"]> = [];
  // The label Kubernetes 1.27+ sets, then the older one.
  for (const label of ["batch.kubernetes.io/job-name", "job-name"]) {
    const selector = encodeURIComponent(`${label}=${inputs.jobName}`);
    const list = (await kubeGet(endpoint, `/api/v1/namespaces/${ns}/pods?labelSelector=${selector}`, REQUEST_TIMEOUT_MS)) as PodList;
    pods.push(...(list.items ?? []).filter((p) => p.metadata?.ownerReferences?.some((o) => o.uid === inputs.jobUid)));
    if (pods.length > 0) break;
  }
  const byRecency = [...pods].sort((a, b) => (b.metadata?.creationTimestamp ?? "").localeCompare(a.metadata?.creationTimestamp ?? ""));
  const pod = byRecency.find((p) => p.status?.phase === "Succeeded") ?? byRecency[0];
  if (!pod?.metadata?.name) {
    throw new Error(`Job ${inputs.namespace}/${inputs.jobName} (uid ${inputs.jobUid}) has no pod left to read its output from`);
  }
  const podPath = `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod.metadata.name)}/log?container=${encodeURIComponent(inputs.container)}`;
  return (await kubeGet(endpoint, podPath, REQUEST_TIMEOUT_MS, true)) as string;
}

export const jobLogsProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
    // A Job about to be created has no name or uid yet during a preview: only values that are there are checked.
    const failures = (["namespace", "jobName", "jobUid", "container"] as const)
      .filter((key) => news[key] !== undefined && (typeof news[key] !== "string" || !news[key]))
      .map((key) => ({ property: key, reason: `JobLogs: ${key} must be a non-empty string` }));
    return failures.length ? { inputs: news, failures } : { inputs: news };
  },
  async create(raw: Record<string, unknown>) {
    const inputs = inputsOf(raw);
    const logs = await readJobLogs(inputs);
    return { id: `${inputs.namespace}/${inputs.jobName}/${inputs.jobUid}`, outs: { ...inputs, logs } };
  },
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const identity = ["namespace", "jobName", "jobUid", "container"];
    const replaces = identity.filter((k) => olds[k] !== news[k]);
    const changed = [...replaces, ...["kubeconfig", "context"].filter((k) => (olds[k] ?? "") !== (news[k] ?? ""))];
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
  },
  async update(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    // Only how the API is reached changed: the Job and its output are the same.
    return { outs: { ...inputsOf(news), logs: olds.logs } };
  },
};

/** See the module comment. Type token: pulumi-nodejs:dynamic/kubernetes-job:JobLogs. */
export class JobLogs extends pulumi.dynamic.Resource {
  declare readonly logs: pulumi.Output<string>;

  constructor(name: string, args: JobLogsArgs, opts?: pulumi.CustomResourceOptions) {
    super(jobLogsProvider, name, { ...args, logs: undefined }, opts, "kubernetes-job", "JobLogs");
  }
}
