/** The ServiceSpec of `POST /services/create` and `/services/{id}/update`, built from a Service's (checked) inputs. */
import { apiHealthcheck } from "./container-spec";
import { envList, labelMap, num, obj, objects, str, strings } from "./convert";
import { optionalNanos } from "./duration";
import { RawInputs } from "./types";

/** Swarm's default mode of config and secret files (0444). */
const DEFAULT_FILE_MODE = 0o444;

function fileRefs(value: unknown, kind: "config" | "secret"): Record<string, unknown>[] {
  const idKey = kind === "config" ? "ConfigID" : "SecretID";
  const nameKey = kind === "config" ? "ConfigName" : "SecretName";
  return objects(value).map((f) => ({
    File: { Name: f.fileName, UID: "0", GID: "0", Mode: num(f.fileMode) ?? DEFAULT_FILE_MODE },
    [idKey]: f[`${kind}Id`],
    [nameKey]: str(f[`${kind}Name`]),
  }));
}

/** The desired number of replicas (1 when not given, as in Swarm). */
export function desiredReplicas(inputs: RawInputs): number {
  return num(obj(obj(inputs.mode).replicated).replicas) ?? 1;
}

export function serviceSpec(inputs: RawInputs): Record<string, unknown> {
  const task = obj(inputs.taskSpec);
  const cs = obj(task.containerSpec);
  const placement = obj(task.placement);
  const limits = obj(obj(task.resources).limits);
  const restart = obj(task.restartPolicy);
  const update = obj(inputs.updateConfig);
  const endpoint = obj(inputs.endpointSpec);
  const f = "taskSpec.containerSpec";
  return {
    Name: inputs.name,
    Labels: labelMap(inputs.labels),
    TaskTemplate: {
      ContainerSpec: {
        Image: cs.image,
        Hostname: str(cs.hostname),
        Command: strings(cs.commands).length ? strings(cs.commands) : undefined,
        Args: strings(cs.args).length ? strings(cs.args) : undefined,
        Env: envList(cs.env),
        User: str(cs.user),
        Labels: labelMap(cs.labels),
        Mounts: objects(cs.mounts).map((m) => ({ Type: m.type, Source: str(m.source), Target: m.target, ReadOnly: m.readOnly === true })),
        Configs: fileRefs(cs.configs, "config"),
        Secrets: fileRefs(cs.secrets, "secret"),
        Healthcheck: apiHealthcheck(cs.healthcheck, `${f}.healthcheck`),
        StopGracePeriod: optionalNanos(`${f}.stopGracePeriod`, cs.stopGracePeriod),
      },
      Networks: objects(task.networksAdvanceds).map((n) => ({ Target: n.name, Aliases: strings(n.aliases) })),
      Placement: { Constraints: strings(placement.constraints), MaxReplicas: num(placement.maxReplicas) },
      Resources: { Limits: { NanoCPUs: num(limits.nanoCpus), MemoryBytes: num(limits.memoryBytes) } },
      RestartPolicy: {
        Condition: str(restart.condition),
        Delay: optionalNanos("taskSpec.restartPolicy.delay", restart.delay),
        Window: optionalNanos("taskSpec.restartPolicy.window", restart.window),
        MaxAttempts: num(restart.maxAttempts),
      },
    },
    Mode: { Replicated: { Replicas: desiredReplicas(inputs) } },
    UpdateConfig: {
      Parallelism: num(update.parallelism) ?? 1,
      Order: str(update.order),
      FailureAction: str(update.failureAction),
      Monitor: optionalNanos("updateConfig.monitor", update.monitor),
      Delay: optionalNanos("updateConfig.delay", update.delay),
    },
    EndpointSpec: {
      Mode: str(endpoint.mode) ?? "vip",
      Ports: objects(endpoint.ports).map((p) => ({
        Name: str(p.name),
        Protocol: str(p.protocol) ?? "tcp",
        TargetPort: p.targetPort,
        PublishedPort: num(p.publishedPort),
        PublishMode: str(p.publishMode) ?? "ingress",
      })),
    },
  };
}

export { DEFAULT_FILE_MODE };
