/**
 * Container: create (with networks, uploads), start, optionally wait for the healthcheck; refresh; remove.
 *
 * - Any change of what the container is replaces it. `wait`, `waitTimeout` and `destroyGraceSeconds` only govern
 *   this provider (how long to wait, how to stop), so like in the docker provider they update in place (stored only).
 * - create: `POST /containers/create`, further networks connected, uploads written with `PUT .../archive` (a tar
 *   extracted into the deepest directory that exists, so missing parents are created and existing ones keep their
 *   owner and mode), then start. If any of that fails the container is removed again. If only the health wait fails,
 *   the container stays (for `docker logs`) and Pulumi records it with an initialization error; the next `pulumi up`
 *   starts it if needed and waits again (update), or replaces it if its inputs changed.
 * - delete: stop with `destroyGraceSeconds` as timeout when set, then remove with v=true (anonymous volumes too) and
 *   force; 404 counts as already gone.
 * - read: gone -> no id; else the stored inputs with the live name.
 * - Images are not pulled: the image must be on the Docker host.
 * - Environment values and upload contents are masked in every message.
 */
import type * as pulumi from "@pulumi/pulumi";
import { containerCheck } from "./container-check";
import { containerPlan, uploadFiles } from "./container-spec";
import { DockerDiffResult, diffInputs } from "./diff";
import { waitHealthy } from "./health-wait";
import {
  apiMessage,
  connect,
  DockerClient,
  dockerError,
  dockerRequest,
  deleteWithRetry,
  expectOk,
  inspectOrUndefined,
} from "./http-client";
import { withoutUndefined } from "./naming";
import { envValues, initFailure, maskedError } from "./redact";
import { UploadFile, uploadArchive } from "./tar";
import { RawInputs, StoredState } from "./types";

/** Inputs that only govern the provider: a change updates the stored value, the container stays. */
const CONTAINER_IN_PLACE_KEYS: readonly string[] = ["wait", "waitTimeout", "destroyGraceSeconds"];
const DEFAULT_WAIT_TIMEOUT_SECONDS = 60;

function describe(inputs: RawInputs | undefined, id?: string): string {
  return `docker-engine Container ${JSON.stringify(inputs?.name ?? id ?? "?")}`;
}

/** Every value that may be secret: env values and upload contents. */
function containerSecrets(...all: (RawInputs | undefined)[]): string[] {
  const out: string[] = [];
  for (const inputs of all) {
    out.push(...envValues(inputs?.envs));
    for (const u of Array.isArray(inputs?.uploads) ? (inputs.uploads as Record<string, unknown>[]) : []) {
      if (typeof u?.content === "string") out.push(u.content);
      if (typeof u?.contentBase64 === "string") out.push(u.contentBase64, Buffer.from(u.contentBase64, "base64").toString("utf8"));
    }
  }
  return out;
}

/** Defaults made explicit so that they compare equal to their absence. */
function normalizeContainer(inputs: RawInputs): RawInputs {
  const ports = Array.isArray(inputs.ports)
    ? (inputs.ports as Record<string, unknown>[]).map((p) => ({ ...p, ip: p?.ip || "0.0.0.0", protocol: p?.protocol || "tcp" }))
    : inputs.ports;
  const cpus = typeof inputs.cpus === "string" && /^[\d.]+$/.test(inputs.cpus) ? String(parseFloat(inputs.cpus)) : inputs.cpus;
  return { ...inputs, ports, cpus, restart: inputs.restart === "no" ? undefined : inputs.restart };
}

export async function containerDiff(_id: string, olds: StoredState, news: RawInputs): Promise<DockerDiffResult> {
  return diffInputs(olds, news, (key) => !CONTAINER_IN_PLACE_KEYS.includes(key), normalizeContainer);
}

/** The deepest existing directory on the way to `path`'s parent ("/" exists). */
async function existingAncestor(client: DockerClient, id: string, path: string): Promise<string> {
  const segments = path.split("/").filter((s) => s !== "");
  for (let n = segments.length - 1; n > 0; n--) {
    const dir = "/" + segments.slice(0, n).join("/");
    const response = await dockerRequest(client, "HEAD", `/containers/${encodeURIComponent(id)}/archive`, { query: { path: dir } });
    if (response.status === 200) return dir;
    if (response.status !== 404) throw dockerError(client, "HEAD", `/containers/${id}/archive?path=${dir}`, response);
  }
  return "/";
}

async function upload(client: DockerClient, id: string, file: UploadFile): Promise<void> {
  const root = await existingAncestor(client, id, file.path);
  const path = `/containers/${encodeURIComponent(id)}/archive`;
  const response = await dockerRequest(client, "PUT", path, {
    query: { path: root },
    raw: uploadArchive(root, [file]),
    contentType: "application/x-tar",
  });
  if (response.status !== 200) {
    throw new Error(`uploading ${file.path} failed: HTTP ${response.status} ${apiMessage(response)}`);
  }
}

async function removeContainer(client: DockerClient, id: string, graceSeconds?: number): Promise<void> {
  const base = `/containers/${encodeURIComponent(id)}`;
  if (graceSeconds !== undefined && graceSeconds > 0) {
    const response = await dockerRequest(client, "POST", `${base}/stop`, {
      query: { t: graceSeconds },
      timeoutMs: (graceSeconds + 60) * 1000,
    });
    if (![204, 304, 404].includes(response.status)) throw dockerError(client, "POST", `${base}/stop`, response);
  }
  await deleteWithRetry(client, base, { v: true, force: true });
}

async function start(client: DockerClient, id: string): Promise<void> {
  await expectOk(client, "POST", `/containers/${encodeURIComponent(id)}/start`, {}, [204, 304]);
}

/** Waits when `wait` is set; a failure becomes an initialization error (the container exists). */
async function waitIfAsked(client: DockerClient, id: string, inputs: RawInputs): Promise<void> {
  if (inputs.wait !== true) return;
  const timeout = typeof inputs.waitTimeout === "number" ? inputs.waitTimeout : DEFAULT_WAIT_TIMEOUT_SECONDS;
  try {
    await waitHealthy(client, id, String(inputs.name), timeout);
  } catch (error) {
    throw initFailure((error as Error).message, id, withoutUndefined(inputs));
  }
}

export async function containerCreate(inputs: RawInputs): Promise<pulumi.dynamic.CreateResult> {
  try {
    const client = await connect(inputs.dockerHost);
    const plan = containerPlan(inputs);
    const created = await dockerRequest(client, "POST", "/containers/create", { query: { name: String(inputs.name) }, body: plan.body });
    if (created.status === 404 && /no such image/i.test(apiMessage(created))) {
      throw new Error(
        `image ${JSON.stringify(inputs.image)} is not on the Docker host ${client.endpoint.host} ` +
          `(this provider does not pull images: build or load it first)`,
      );
    }
    if (created.status !== 201) throw dockerError(client, "POST", "/containers/create", created);
    const id = (created.json as { Id?: string }).Id;
    if (!id) throw new Error("POST /containers/create answered without an Id");
    try {
      for (const network of plan.laterNetworks) {
        await expectOk(client, "POST", `/networks/${encodeURIComponent(network.name)}/connect`, {
          body: { Container: id, EndpointConfig: { Aliases: network.aliases } },
        });
      }
      for (const file of uploadFiles(inputs.uploads)) await upload(client, id, file);
      await start(client, id);
    } catch (error) {
      await removeContainer(client, id).catch(() => undefined);
      throw error;
    }
    await waitIfAsked(client, id, inputs);
    return { id, outs: withoutUndefined(inputs) };
  } catch (error) {
    throw maskedError(error, `${describe(inputs)}: creating failed: `, containerSecrets(inputs));
  }
}

/**
 * Only `wait`, `waitTimeout` or `destroyGraceSeconds` changed, or a previous create/update did not become ready:
 * start the container if it is not running and wait again when asked.
 */
export async function containerUpdate(id: string, olds: StoredState, news: RawInputs): Promise<pulumi.dynamic.UpdateResult> {
  try {
    const client = await connect(news.dockerHost);
    const live = await inspectOrUndefined(client, `/containers/${encodeURIComponent(id)}/json`);
    if (!live) throw new Error(`container ${id} no longer exists; run \`pulumi refresh\` to forget it, then \`pulumi up\``);
    const state = (live.State ?? {}) as { Running?: boolean; Restarting?: boolean };
    if (!state.Running && !state.Restarting) await start(client, id);
    await waitIfAsked(client, id, news);
    return { outs: withoutUndefined(news) };
  } catch (error) {
    throw maskedError(error, `${describe(news, id)}: updating failed: `, containerSecrets(news, olds));
  }
}

export async function containerRead(id: string, props?: StoredState): Promise<pulumi.dynamic.ReadResult> {
  const state = props ?? {};
  try {
    const client = await connect(state.dockerHost);
    const live = await inspectOrUndefined(client, `/containers/${encodeURIComponent(id)}/json`);
    if (!live) return {};
    const name = typeof live.Name === "string" ? live.Name.replace(/^\//, "") : state.name;
    return { id, props: withoutUndefined({ ...state, name }) };
  } catch (error) {
    throw maskedError(error, `${describe(state, id)}: reading failed: `, containerSecrets(state));
  }
}

export async function containerDelete(id: string, props: StoredState): Promise<void> {
  try {
    const client = await connect(props?.dockerHost);
    const grace = typeof props?.destroyGraceSeconds === "number" ? props.destroyGraceSeconds : undefined;
    await removeContainer(client, id, grace);
  } catch (error) {
    throw maskedError(error, `${describe(props, id)}: deleting failed: `, containerSecrets(props));
  }
}

/** The dynamic provider object handed to `pulumi.dynamic.Resource`. */
export const containerProvider: pulumi.dynamic.ResourceProvider = {
  check: containerCheck,
  diff: containerDiff,
  create: containerCreate,
  read: containerRead,
  update: containerUpdate,
  delete: containerDelete,
};

export { CONTAINER_IN_PLACE_KEYS, DEFAULT_WAIT_TIMEOUT_SECONDS };
