import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { jobTriggers, refuseVolumesOfOtherWorkloads, workloadLabels } from "../common/workload-metadata";
import { JobLogs } from "../../providers/kubernetes-job/job-logs";
import { podFilesDigest, podFilesDigestAnnotation } from "./pod-files-digest";
import type { FileSpec, JobRun, JobSpec, PortSpec, ResourceSpec, VolumeSpec, Workload, WorkloadSpec } from "../../model/workload";
import type { DeployOptions, Target } from "../../model/target";

export interface KubernetesTargetArgs {
  readonly namePrefix: string;
  readonly namespace: string;
  /** Host name in URLs of published ports (where the LoadBalancer services or the node ports answer). */
  readonly publicHost: string;
  readonly storageClass?: string;
  readonly volumeSizeGi: number;
  /**
   * How published ports leave the cluster: `LoadBalancer` Services answer on the published port (a cloud or a
   * load-balancer implementation assigns the address); `NodePort` Services answer on every node at the published
   * port, which is then the node port.
   */
  readonly serviceType: "LoadBalancer" | "NodePort";
  /** How jobs' output is read back (the kubernetes provider's own kubeconfig and context settings, when set). */
  readonly kubeconfig?: pulumi.Input<string>;
  readonly context?: string;
  readonly provider?: k8s.Provider;
}

/**
 * The program owns what it declares: a field set by hand (`kubectl scale` takes `.spec.replicas` under its own field
 * manager) would make the server-side apply that repairs the drift fail with a field conflict instead of setting it
 * back. With patchForce the apply takes the field over, as `pulumi up` is expected to after a drift check.
 */
const programOwned = { "pulumi.com/patchForce": "true" };
/** One entry per container port: several published ports may lead to the same one. */
const byContainerPort = (ports: readonly PortSpec[]) =>
  ports.filter((p, i) => ports.findIndex((q) => q.containerPort === p.containerPort) === i);

/** Kubernetes resource limits of a workload's or job's container. */
const limitsOf = (r: ResourceSpec | undefined): k8s.types.input.core.v1.ResourceRequirements | undefined =>
  r && {
    limits: {
      ...(r.cpus !== undefined ? { cpu: String(r.cpus) } : {}),
      ...(r.memoryMb !== undefined ? { memory: `${r.memoryMb}Mi` } : {}),
    },
  };

/** A pod's files and secret env as Kubernetes objects, and what places them in the container. */
interface PodFiles {
  readonly objects: readonly pulumi.Resource[];
  readonly secretEnv: k8s.types.input.core.v1.EnvVar[];
  readonly volumes: k8s.types.input.core.v1.Volume[];
  readonly mounts: k8s.types.input.core.v1.VolumeMount[];
}

/** Kubernetes takes a numeric user only; a user name stays the image's business. */
const securityContextOf = (user: string | undefined): k8s.types.input.core.v1.SecurityContext | undefined =>
  user !== undefined && /^\d+$/.test(user) ? { runAsUser: Number(user) } : undefined;

/** ConfigMap/Secret keys must be DNS-subdomain-like; derived from the file path so they stay readable. */
const fileKey = (f: FileSpec) => f.path.replace(/^\//, "").replace(/[^-._a-zA-Z0-9]/g, "_");

/**
 * A Kubernetes cluster: a namespace; a StatefulSet with a headless Service for workloads that keep
 * state or need a stable identity, a Deployment for interchangeable replicas; a LoadBalancer Service
 * for published ports. The provider's await logic makes `pulumi up` wait for readiness probes.
 */
export class KubernetesTarget implements Target {
  /** Volumes are per node (swarm) or per pod (Kubernetes): no workload sees another's. */
  readonly mountsVolumesOfOtherWorkloads = false;
  readonly namespace: k8s.core.v1.Namespace;
  private readonly sharedClaims = new Map<string, k8s.core.v1.PersistentVolumeClaim>();

  constructor(
    private readonly args: KubernetesTargetArgs,
    parent: pulumi.Resource,
  ) {
    this.namespace = new k8s.core.v1.Namespace(
      args.namespace,
      { metadata: { name: args.namespace, labels: { "bigdata.platform/stack": args.namePrefix } } },
      { parent, provider: args.provider },
    );
  }

  deploy(spec: WorkloadSpec, opts: DeployOptions): Workload {
    refuseVolumesOfOtherWorkloads(spec, "kubernetes");
    const { provider } = this.args;
    const ns = this.namespace.metadata.name;
    const labels = { ...workloadLabels(this.args.namePrefix, spec) };
    const selector = { "bigdata.platform/stack": this.args.namePrefix, "bigdata.platform/workload": spec.name };
    const childOpts = { parent: opts.parent, provider, dependsOn: [this.namespace, ...(opts.dependsOn ?? [])] };
    const resourceName = `${this.args.namePrefix}-${spec.name}`;

    const files = this.podFiles(spec, resourceName, spec.name, labels, childOpts);
    const env = [...Object.entries(spec.env ?? {}).map(([name, value]) => ({ name, value })), ...files.secretEnv];
    const container: k8s.types.input.core.v1.Container = {
      name: spec.component,
      image: spec.image,
      command: spec.command ? [...spec.command] : undefined,
      args: spec.args ? [...spec.args] : undefined,
      env,
      ports: byContainerPort(spec.ports ?? []).map((p) => ({ name: p.name, containerPort: p.containerPort })),
      volumeMounts: [...(spec.volumes ?? []).map((v) => ({ name: v.name, mountPath: v.mountPath })), ...files.mounts],
      readinessProbe: spec.healthcheck && {
        exec: { command: ["sh", "-c", spec.healthcheck.shell] },
        initialDelaySeconds: Math.min(spec.healthcheck.startPeriodSeconds, 10),
        periodSeconds: spec.healthcheck.intervalSeconds,
        timeoutSeconds: spec.healthcheck.timeoutSeconds,
        failureThreshold: spec.healthcheck.retries,
      },
      resources: limitsOf(spec.resources),
      securityContext: securityContextOf(spec.user),
    };
    const nodeSelector = {
      ...(spec.placement?.labels ?? {}),
      ...(spec.placement?.node !== undefined ? { "kubernetes.io/hostname": spec.placement.node } : {}),
    };
    const shared = (spec.volumes ?? []).filter((v) => v.shared);
    const podSpec: k8s.types.input.core.v1.PodSpec = {
      // Docker-link style variables (SPARK_WORKER_PORT=tcp://...) for every Service would collide with the images'
      // own settings: Spark's worker reads SPARK_WORKER_PORT as a number. Names resolve through cluster DNS instead.
      enableServiceLinks: false,
      containers: [container],
      volumes: [...files.volumes, ...shared.map((v) => this.sharedVolume(v, childOpts))],
      nodeSelector: Object.keys(nodeSelector).length ? nodeSelector : undefined,
      terminationGracePeriodSeconds: spec.stopGracePeriodSeconds,
      topologySpreadConstraints: spec.placement?.maxReplicasPerNode
        ? [
            {
              maxSkew: 1,
              topologyKey: "kubernetes.io/hostname",
              whenUnsatisfiable: "DoNotSchedule",
              labelSelector: { matchLabels: selector },
            },
          ]
        : undefined,
    };
    const digest = podFilesDigest(spec);
    const template = {
      metadata: { labels: { ...labels, ...selector }, annotations: digest && { [podFilesDigestAnnotation]: digest } },
      spec: podSpec,
    };
    const servicePorts = byContainerPort(spec.ports ?? []).map((p) => ({
      name: p.name,
      port: p.containerPort,
      targetPort: p.containerPort,
    }));

    // Per-pod volumes need a StatefulSet. A singleton's name must resolve to its pod, not to a
    // virtual IP (Spark's master binds to the address its name resolves to): a headless Service.
    const perPodVolumes = (spec.volumes ?? []).filter((v) => !v.shared);
    const stateful = perPodVolumes.length > 0;
    const headless = stateful || spec.replicas === undefined;
    const service = new k8s.core.v1.Service(
      `${resourceName}-svc`,
      {
        metadata: { name: spec.name, namespace: ns, labels },
        spec: headless
          ? {
              clusterIP: "None",
              selector,
              ports: servicePorts.length ? servicePorts : [{ name: "none", port: 1 }],
              publishNotReadyAddresses: true,
            }
          : { selector, ports: servicePorts.length ? servicePorts : [{ name: "none", port: 1 }] },
      },
      childOpts,
    );
    const workloadOpts = { ...childOpts, dependsOn: [...childOpts.dependsOn, service, ...files.objects] };
    const workload = stateful
      ? new k8s.apps.v1.StatefulSet(
          resourceName,
          {
            metadata: { name: spec.name, namespace: ns, labels, annotations: programOwned },
            spec: {
              serviceName: spec.name,
              replicas: spec.replicas ?? 1,
              selector: { matchLabels: selector },
              template,
              volumeClaimTemplates: perPodVolumes.map((v) => ({
                metadata: { name: v.name },
                spec: {
                  accessModes: ["ReadWriteOnce"],
                  storageClassName: this.args.storageClass,
                  resources: { requests: { storage: `${this.args.volumeSizeGi}Gi` } },
                },
              })),
            },
          },
          workloadOpts,
        )
      : new k8s.apps.v1.Deployment(
          resourceName,
          {
            metadata: { name: spec.name, namespace: ns, labels, annotations: programOwned },
            spec: { replicas: spec.replicas, selector: { matchLabels: selector }, template },
          },
          workloadOpts,
        );

    const published = (spec.ports ?? []).filter((p): p is PortSpec & { published: number } => p.published !== undefined);
    if (published.length > 0) {
      const nodePorts = this.args.serviceType === "NodePort";
      new k8s.core.v1.Service(
        `${resourceName}-public`,
        {
          metadata: { name: `${spec.name}-public`, namespace: ns, labels },
          spec: {
            type: this.args.serviceType,
            selector,
            ports: published.map((p) =>
              nodePorts
                ? { name: p.name, port: p.containerPort, targetPort: p.containerPort, nodePort: p.published }
                : { name: p.name, port: p.published, targetPort: p.containerPort },
            ),
          },
        },
        childOpts,
      );
    }
    return { name: spec.name, readiness: [workload] };
  }

  /**
   * A batch Job that `pulumi up` waits on until it completes; its pod's output is then read through the API
   * server (`JobLogs`, since the kubernetes provider cannot read logs). A spec change replaces the Job, and
   * the new Job's uid replaces the logs.
   */
  runJob(spec: JobSpec, opts: DeployOptions): JobRun {
    const { provider } = this.args;
    const ns = this.namespace.metadata.name;
    const labels = workloadLabels(this.args.namePrefix, spec);
    // Trigger values are free text, which label values may not be: annotations carry them.
    const annotations = jobTriggers(spec);
    const childOpts = { parent: opts.parent, provider, dependsOn: [this.namespace, ...(opts.dependsOn ?? [])] };
    const resourceName = `${this.args.namePrefix}-${spec.name}`;
    const files = this.podFiles(spec, resourceName, undefined, labels, childOpts);
    const job = new k8s.batch.v1.Job(
      resourceName,
      {
        metadata: { namespace: ns, labels, annotations },
        spec: {
          backoffLimit: 0,
          activeDeadlineSeconds: spec.timeoutSeconds,
          template: {
            metadata: { labels, annotations },
            spec: {
              enableServiceLinks: false,
              restartPolicy: "Never",
              containers: [
                {
                  name: spec.component,
                  image: spec.image,
                  command: [...spec.command],
                  env: Object.entries(spec.env ?? {}).map(([name, value]) => ({ name, value })),
                  volumeMounts: [...(spec.volumes ?? []).map((v) => ({ name: v.name, mountPath: v.mountPath })), ...files.mounts],
                  resources: limitsOf(spec.resources),
                  securityContext: securityContextOf(spec.user),
                },
              ],
              volumes: [...files.volumes, ...(spec.volumes ?? []).map((v) => this.sharedVolume(v, childOpts))],
            },
          },
        },
      },
      {
        ...childOpts,
        dependsOn: [...childOpts.dependsOn, ...files.objects],
        customTimeouts: { create: `${Math.ceil(spec.timeoutSeconds / 60)}m` },
      },
    );
    const output = new JobLogs(
      `${resourceName}-logs`,
      {
        namespace: ns,
        jobName: job.metadata.name,
        jobUid: job.metadata.uid,
        container: spec.component,
        kubeconfig: this.args.kubeconfig,
        context: this.args.context,
      },
      { parent: opts.parent, dependsOn: [job] },
    );
    return { name: spec.name, logs: output.logs, resources: [job, output] };
  }

  /**
   * The ConfigMap (plain files) and Secret (secret files and secret env) a pod reads, with the volumes,
   * mounts and env references that place them. `objectName` names them `<objectName>-files` and
   * `<objectName>-secret`; without it Kubernetes names are generated.
   */
  private podFiles(
    spec: Pick<WorkloadSpec, "files" | "secretEnv">,
    resourceName: string,
    objectName: string | undefined,
    labels: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
  ): PodFiles {
    const ns = this.namespace.metadata.name;
    const secretFiles = (spec.files ?? []).filter((f) => f.secret);
    const plainFiles = (spec.files ?? []).filter((f) => !f.secret);
    const secretData: Record<string, pulumi.Input<string>> = { ...(spec.secretEnv ?? {}) };
    for (const f of secretFiles) secretData[`file.${fileKey(f)}`] = f.content;
    const metadata = (suffix: string) => ({
      ...(objectName !== undefined ? { name: `${objectName}-${suffix}` } : {}),
      namespace: ns,
      labels,
    });

    const secret =
      Object.keys(secretData).length > 0
        ? new k8s.core.v1.Secret(`${resourceName}-secret`, { metadata: metadata("secret"), stringData: secretData }, opts)
        : undefined;
    const configMap =
      plainFiles.length > 0
        ? new k8s.core.v1.ConfigMap(
            `${resourceName}-files`,
            { metadata: metadata("files"), data: Object.fromEntries(plainFiles.map((f) => [fileKey(f), f.content])) },
            opts,
          )
        : undefined;
    const secretName = secret && (objectName !== undefined ? `${objectName}-secret` : secret.metadata.name);
    const configMapName = configMap && (objectName !== undefined ? `${objectName}-files` : configMap.metadata.name);
    return {
      objects: [...(secret ? [secret] : []), ...(configMap ? [configMap] : [])],
      secretEnv:
        secretName === undefined
          ? []
          : Object.keys(spec.secretEnv ?? {}).map((name) => ({ name, valueFrom: { secretKeyRef: { name: secretName, key: name } } })),
      volumes: [
        ...(configMapName !== undefined ? [{ name: "files", configMap: { name: configMapName, defaultMode: 0o755 } }] : []),
        ...(secretName !== undefined && secretFiles.length > 0
          ? [{ name: "secret-files", secret: { secretName, defaultMode: 0o755 } }]
          : []),
      ],
      mounts: [
        ...plainFiles.map((f) => ({ name: "files", mountPath: f.path, subPath: fileKey(f), readOnly: true })),
        ...secretFiles.map((f) => ({ name: "secret-files", mountPath: f.path, subPath: `file.${fileKey(f)}`, readOnly: true })),
      ],
    };
  }

  /** A ReadWriteMany claim per shared volume name: every pod that mounts it sees the same files. */
  private sharedVolume(v: VolumeSpec, opts: pulumi.CustomResourceOptions): k8s.types.input.core.v1.Volume {
    let claim = this.sharedClaims.get(v.name);
    if (claim === undefined) {
      claim = new k8s.core.v1.PersistentVolumeClaim(
        `${this.args.namePrefix}-${v.name}`,
        {
          metadata: { name: v.name, namespace: this.namespace.metadata.name, labels: { "bigdata.platform/stack": this.args.namePrefix } },
          spec: {
            accessModes: ["ReadWriteMany"],
            storageClassName: this.args.storageClass,
            resources: { requests: { storage: `${this.args.volumeSizeGi}Gi` } },
          },
        },
        { provider: this.args.provider, parent: opts.parent, dependsOn: [this.namespace] },
      );
      this.sharedClaims.set(v.name, claim);
    }
    return { name: v.name, persistentVolumeClaim: { claimName: claim.metadata.name } };
  }

  publishedUrl(port: number, path = "", scheme = "http"): string {
    return `${scheme}://${this.args.publicHost}:${port}${path}`;
  }
}
