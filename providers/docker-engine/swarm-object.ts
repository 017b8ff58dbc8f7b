/**
 * ServiceConfig and Secret: swarm configs (`/configs`) and secrets (`/secrets`). Both are immutable in Swarm, so any
 * input change replaces them; without a `name` one is generated from the resource name (see naming.ts), so that the
 * replacement is created under a new name, services are switched to it, and the old one is removed afterwards.
 * Removal retries while a service still uses the object; 404 counts as already gone. id = the swarm object id.
 *
 * A Secret's data (and its decoded text) never appears in messages; the resource class keeps it a Pulumi secret.
 */
import type * as pulumi from "@pulumi/pulumi";
import { labelMap } from "./convert";
import { DockerDiffResult, diffInputs } from "./diff";
import { connect, deleteWithRetry, expectOk, inspectOrUndefined } from "./http-client";
import { checkCommon, SWARM_NAME, withoutUndefined } from "./naming";
import { base64Secrets, maskedError } from "./redact";
import { HIDDEN_INPUTS, RawInputs, StoredState } from "./types";
import { checkLabels, checkObject, checkString, isUnknown, newChecker, required } from "./validate";

export type SwarmObjectKind = "config" | "secret";

const SWARM_OBJECT_KEYS: readonly string[] = ["name", "data", "labels"];

/** Standard base64 with padding (what the Docker API takes as Data). */
const BASE64: readonly [RegExp, string] = [/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, "base64-encoded"];

function describe(kind: SwarmObjectKind, inputs: RawInputs, id?: string): string {
  const what = kind === "config" ? "ServiceConfig" : "Secret";
  return `docker-engine ${what} ${JSON.stringify(inputs.name ?? id ?? "?")}`;
}

function secretsOf(kind: SwarmObjectKind, inputs: RawInputs | undefined): string[] {
  return kind === "secret" ? base64Secrets(inputs?.data) : [];
}

/** The provider of one kind. Its functions close over `kind` only (plain data), so the object serializes. */
export function swarmObjectProvider(kind: SwarmObjectKind): pulumi.dynamic.ResourceProvider {
  const path = kind === "config" ? "/configs" : "/secrets";

  async function check(olds: RawInputs, news: RawInputs): Promise<pulumi.dynamic.CheckResult<RawInputs>> {
    const c = newChecker();
    checkObject(c, "", news, [...SWARM_OBJECT_KEYS, ...HIDDEN_INPUTS, "__provider"]);
    const naming = checkCommon(c, olds, news, SWARM_NAME);
    if (required(c, "data", news.data) && !isUnknown(news.data)) {
      checkString(c, "data", news.data, { pattern: BASE64, secret: kind === "secret" });
    }
    checkLabels(c, "labels", news.labels);
    if (c.failures.length) return { inputs: news, failures: c.failures };
    return { inputs: withoutUndefined({ ...news, ...naming }) };
  }

  async function diff(_id: string, olds: StoredState, news: RawInputs): Promise<DockerDiffResult> {
    return diffInputs(olds, news, () => true);
  }

  async function create(inputs: RawInputs): Promise<pulumi.dynamic.CreateResult> {
    try {
      const client = await connect(inputs.dockerHost);
      const response = await expectOk(client, "POST", `${path}/create`, {
        body: { Name: inputs.name, Data: inputs.data, Labels: labelMap(inputs.labels) },
      });
      const id = (response.json as { ID?: string }).ID;
      if (!id) throw new Error(`POST ${path}/create answered without an ID`);
      return { id, outs: withoutUndefined(inputs) };
    } catch (error) {
      throw maskedError(error, `${describe(kind, inputs)}: creating failed: `, secretsOf(kind, inputs));
    }
  }

  async function read(id: string, props?: StoredState): Promise<pulumi.dynamic.ReadResult> {
    const state = props ?? {};
    try {
      const client = await connect(state.dockerHost);
      const live = await inspectOrUndefined(client, `${path}/${encodeURIComponent(id)}`);
      if (!live) return {};
      const spec = (live.Spec ?? {}) as { Name?: string };
      return { id, props: withoutUndefined({ ...state, name: spec.Name ?? state.name }) };
    } catch (error) {
      throw maskedError(error, `${describe(kind, state, id)}: reading failed: `, secretsOf(kind, state));
    }
  }

  async function remove(id: string, props: StoredState): Promise<void> {
    try {
      const client = await connect(props?.dockerHost);
      await deleteWithRetry(client, `${path}/${encodeURIComponent(id)}`);
    } catch (error) {
      throw maskedError(error, `${describe(kind, props ?? {}, id)}: deleting failed: `, secretsOf(kind, props));
    }
  }

  return { check, diff, create, read, delete: remove };
}

/** The dynamic providers handed to `pulumi.dynamic.Resource`. */
export const serviceConfigProvider = swarmObjectProvider("config");
export const secretProvider = swarmObjectProvider("secret");

export { SWARM_OBJECT_KEYS, BASE64 };
