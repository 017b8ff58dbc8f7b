/** The body of `POST /containers/create` built from a Container's (checked) inputs, and its uploads. */
import { labelMap, num, obj, objects, str, strings } from "./convert";
import { optionalNanos } from "./duration";
import { UploadFile } from "./tar";
import { RawInputs } from "./types";

export interface NetworkAttachment {
  name: string;
  aliases: string[];
}

export interface ContainerPlan {
  body: Record<string, unknown>;
  /** Networks after the first (the first is in the create body); connected before the container starts. */
  laterNetworks: NetworkAttachment[];
}

/** "1.5" -> 1500000000 */
export function nanoCpus(cpus: unknown): number | undefined {
  if (typeof cpus !== "string" || cpus === "") return undefined;
  return Math.round(parseFloat(cpus) * 1e9);
}

/** The healthcheck in the API's shape (durations in nanoseconds); undefined when none is set. */
export function apiHealthcheck(value: unknown, field: string): Record<string, unknown> | undefined {
  const h = obj(value);
  if (Object.keys(h).length === 0) return undefined;
  return {
    Test: strings(h.tests),
    Interval: optionalNanos(`${field}.interval`, h.interval),
    Timeout: optionalNanos(`${field}.timeout`, h.timeout),
    StartPeriod: optionalNanos(`${field}.startPeriod`, h.startPeriod),
    Retries: num(h.retries),
  };
}

export function networkAttachments(value: unknown): NetworkAttachment[] {
  return objects(value).map((n) => ({ name: String(n.name), aliases: strings(n.aliases) }));
}

/** Create body + networks to connect afterwards. */
export function containerPlan(inputs: RawInputs): ContainerPlan {
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of objects(inputs.ports)) {
    const key = `${p.internal}/${str(p.protocol) ?? "tcp"}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: str(p.ip) ?? "", HostPort: p.external === undefined ? "" : String(p.external) });
  }
  const networks = networkAttachments(inputs.networksAdvanced);
  const first = networks[0];
  const memoryMb = num(inputs.memory);
  const swapMb = num(inputs.memorySwap);
  const body: Record<string, unknown> = {
    Hostname: str(inputs.hostname),
    User: str(inputs.user),
    Env: strings(inputs.envs),
    Cmd: Array.isArray(inputs.command) && inputs.command.length ? strings(inputs.command) : undefined,
    Entrypoint: Array.isArray(inputs.entrypoints) && inputs.entrypoints.length ? strings(inputs.entrypoints) : undefined,
    Image: inputs.image,
    Labels: labelMap(inputs.labels),
    ExposedPorts: exposed,
    Healthcheck: apiHealthcheck(inputs.healthcheck, "healthcheck"),
    StopTimeout: num(inputs.stopTimeout),
    HostConfig: {
      RestartPolicy: { Name: str(inputs.restart) ?? "no" },
      PortBindings: bindings,
      Mounts: objects(inputs.volumes).map((v) => ({
        Type: "volume",
        Source: v.volumeName,
        Target: v.containerPath,
        ReadOnly: v.readOnly === true,
      })),
      Memory: memoryMb === undefined ? undefined : memoryMb * 1024 * 1024,
      MemorySwap: swapMb === undefined || swapMb <= 0 ? swapMb : swapMb * 1024 * 1024,
      NanoCpus: nanoCpus(inputs.cpus),
      NetworkMode: first?.name,
    },
    NetworkingConfig: first ? { EndpointsConfig: { [first.name]: { Aliases: first.aliases } } } : undefined,
  };
  return { body, laterNetworks: networks.slice(1) };
}

/** The uploads as files: `content` is UTF-8 text, `contentBase64` raw bytes; mode 0755 when executable, else 0644. */
export function uploadFiles(value: unknown): UploadFile[] {
  return objects(value).map((u) => ({
    path: String(u.file),
    content:
      typeof u.contentBase64 === "string" ? Buffer.from(u.contentBase64, "base64") : Buffer.from(String(u.content ?? ""), "utf8"),
    mode: u.executable === true ? 0o755 : 0o644,
  }));
}
