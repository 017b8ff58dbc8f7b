/**
 * Service (Swarm): create, update in place (`POST /services/{id}/update` with the current version), refresh, remove.
 *
 * - A change of `name` (or of the Docker host) replaces the service; every other change updates it in place.
 * - After create and update, waits until the desired number of tasks of the current spec run (and are healthy where
 *   a healthcheck exists); see service-converge.ts. If that fails the service exists: Pulumi records it with an
 *   initialization error and the next `pulumi up` updates it again.
 * - read: gone -> no id; else the stored inputs with the live name and replica count (a scale done by hand shows up
 *   as drift and is undone by the next `pulumi up`).
 * - delete: 404 counts as already gone; then waits for the service's tasks to go away.
 * - Environment values are masked in every message.
 */
import type * as pulumi from "@pulumi/pulumi";
import { obj } from "./convert";
import { DockerDiffResult, diffInputs } from "./diff";
import { optionalNanos } from "./duration";
import { connect, DockerClient, deleteWithRetry, expectOk, inspectOrUndefined } from "./http-client";
import { withoutUndefined } from "./naming";
import { initFailure, mapValues, maskedError } from "./redact";
import { serviceCheck } from "./service-check";
import { waitConverged, waitTasksGone } from "./service-converge";
import { DEFAULT_FILE_MODE, desiredReplicas, serviceSpec } from "./service-spec";
import { RawInputs, StoredState } from "./types";

/** Changes of these replace the service. */
const SERVICE_REPLACE_KEYS: readonly string[] = ["name", "dockerHost"];
const REMOVAL_WAIT_MS = 120_000;

function describe(inputs: RawInputs | undefined, id?: string): string {
  return `docker-engine Service ${JSON.stringify(inputs?.name ?? id ?? "?")}`;
}

function serviceSecrets(...all: (RawInputs | undefined)[]): string[] {
  return all.flatMap((inputs) => mapValues(obj(obj(inputs?.taskSpec).containerSpec).env));
}

/** Swarm's defaults made explicit, so that they compare equal to their absence. */
function normalizeService(inputs: RawInputs): RawInputs {
  const endpoint = obj(inputs.endpointSpec);
  const task = obj(inputs.taskSpec);
  const cs = obj(task.containerSpec);
  const files = (list: unknown) =>
    Array.isArray(list) ? list.map((f) => ({ ...obj(f), fileMode: obj(f).fileMode ?? DEFAULT_FILE_MODE })) : list;
  return {
    ...inputs,
    mode: { replicated: { replicas: desiredReplicas(inputs) } },
    endpointSpec: {
      ...endpoint,
      mode: endpoint.mode ?? "vip",
      ports: Array.isArray(endpoint.ports)
        ? endpoint.ports.map((p) => ({ ...obj(p), protocol: obj(p).protocol ?? "tcp", publishMode: obj(p).publishMode ?? "ingress" }))
        : endpoint.ports,
    },
    taskSpec: { ...task, containerSpec: { ...cs, configs: files(cs.configs), secrets: files(cs.secrets) } },
  };
}

export async function serviceDiff(_id: string, olds: StoredState, news: RawInputs): Promise<DockerDiffResult> {
  return diffInputs(olds, news, (key) => SERVICE_REPLACE_KEYS.includes(key), normalizeService);
}

/** Waits for convergence; a failure becomes an initialization error (the service exists). */
async function converge(client: DockerClient, id: string, inputs: RawInputs): Promise<void> {
  const cfg = obj(inputs.convergeConfig);
  try {
    await waitConverged(client, id, String(inputs.name), {
      replicas: desiredReplicas(inputs),
      delayNs: optionalNanos("convergeConfig.delay", cfg.delay),
      timeoutNs: optionalNanos("convergeConfig.timeout", cfg.timeout),
    });
  } catch (error) {
    throw initFailure((error as Error).message, id, withoutUndefined(inputs));
  }
}

function warnings(json: unknown): void {
  const list = (json as { Warnings?: unknown; Warning?: unknown } | undefined) ?? {};
  for (const w of [list.Warning, ...(Array.isArray(list.Warnings) ? list.Warnings : [])]) {
    if (typeof w === "string" && w) console.warn(`docker-engine: ${w}`);
  }
}

export async function serviceCreate(inputs: RawInputs): Promise<pulumi.dynamic.CreateResult> {
  try {
    const client = await connect(inputs.dockerHost);
    const response = await expectOk(client, "POST", "/services/create", { body: serviceSpec(inputs) });
    warnings(response.json);
    const id = (response.json as { ID?: string }).ID;
    if (!id) throw new Error("POST /services/create answered without an ID");
    await converge(client, id, inputs);
    return { id, outs: withoutUndefined(inputs) };
  } catch (error) {
    throw maskedError(error, `${describe(inputs)}: creating failed: `, serviceSecrets(inputs));
  }
}

export async function serviceUpdate(id: string, olds: StoredState, news: RawInputs): Promise<pulumi.dynamic.UpdateResult> {
  try {
    const client = await connect(news.dockerHost);
    const live = await inspectOrUndefined(client, `/services/${encodeURIComponent(id)}`);
    if (!live) throw new Error(`service ${id} no longer exists; run \`pulumi refresh\` to forget it, then \`pulumi up\``);
    const version = (live.Version as { Index?: number } | undefined)?.Index;
    const response = await expectOk(client, "POST", `/services/${encodeURIComponent(id)}/update`, {
      query: { version },
      body: serviceSpec(news),
    });
    warnings(response.json);
    await converge(client, id, news);
    return { outs: withoutUndefined(news) };
  } catch (error) {
    throw maskedError(error, `${describe(news, id)}: updating failed: `, serviceSecrets(news, olds));
  }
}

export async function serviceRead(id: string, props?: StoredState): Promise<pulumi.dynamic.ReadResult> {
  const state = props ?? {};
  try {
    const client = await connect(state.dockerHost);
    const live = await inspectOrUndefined(client, `/services/${encodeURIComponent(id)}`);
    if (!live) return {};
    const spec = obj(live.Spec);
    const replicas = obj(obj(spec.Mode).Replicated).Replicas;
    const out: RawInputs = { ...state, name: typeof spec.Name === "string" ? spec.Name : state.name };
    if (typeof replicas === "number" && replicas !== desiredReplicas(state)) {
      out.mode = { ...obj(state.mode), replicated: { ...obj(obj(state.mode).replicated), replicas } };
    }
    return { id, props: withoutUndefined(out) };
  } catch (error) {
    throw maskedError(error, `${describe(state, id)}: reading failed: `, serviceSecrets(state));
  }
}

export async function serviceDelete(id: string, props: StoredState): Promise<void> {
  try {
    const client = await connect(props?.dockerHost);
    await deleteWithRetry(client, `/services/${encodeURIComponent(id)}`);
    await waitTasksGone(client, id, REMOVAL_WAIT_MS);
  } catch (error) {
    throw maskedError(error, `${describe(props, id)}: deleting failed: `, serviceSecrets(props));
  }
}

/** The dynamic provider object handed to `pulumi.dynamic.Resource`. */
export const serviceProvider: pulumi.dynamic.ResourceProvider = {
  check: serviceCheck,
  diff: serviceDiff,
  create: serviceCreate,
  read: serviceRead,
  update: serviceUpdate,
  delete: serviceDelete,
};

export { SERVICE_REPLACE_KEYS, REMOVAL_WAIT_MS };
