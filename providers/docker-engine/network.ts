/**
 * Network: `POST /networks/create` (CheckDuplicate), inspect, remove. Any input change replaces the network; with a
 * fixed name the old one is removed first (see diff.ts). Removal retries while containers or tasks are still
 * detaching ("has active endpoints"); 404 counts as already gone. id = the network id.
 */
import type * as pulumi from "@pulumi/pulumi";
import { labelMap } from "./convert";
import { DockerDiffResult, diffInputs } from "./diff";
import { connect, deleteWithRetry, expectOk, inspectOrUndefined } from "./http-client";
import { checkCommon, OBJECT_NAME, withoutUndefined } from "./naming";
import { maskedError } from "./redact";
import { HIDDEN_INPUTS, RawInputs, StoredState } from "./types";
import { checkBool, checkLabels, checkObject, checkString, newChecker } from "./validate";

const NETWORK_KEYS: readonly string[] = ["name", "driver", "attachable", "labels"];

function describe(inputs: RawInputs, id?: string): string {
  return `docker-engine Network ${JSON.stringify(inputs.name ?? id ?? "?")}`;
}

export async function networkCheck(olds: RawInputs, news: RawInputs): Promise<pulumi.dynamic.CheckResult<RawInputs>> {
  const c = newChecker();
  checkObject(c, "", news, [...NETWORK_KEYS, ...HIDDEN_INPUTS, "__provider"]);
  const naming = checkCommon(c, olds, news, OBJECT_NAME);
  checkString(c, "driver", news.driver, { pattern: [/^[a-zA-Z0-9][a-zA-Z0-9_.:/-]*$/, `a network driver name such as "bridge" or "overlay"`] });
  checkBool(c, "attachable", news.attachable);
  checkLabels(c, "labels", news.labels);
  if (c.failures.length) return { inputs: news, failures: c.failures };
  return { inputs: withoutUndefined({ ...news, ...naming }) };
}

/** Any change replaces. */
export async function networkDiff(_id: string, olds: StoredState, news: RawInputs): Promise<DockerDiffResult> {
  return diffInputs(olds, news, () => true, (i) => ({ ...i, driver: i.driver || "bridge" }));
}

export async function networkCreate(inputs: RawInputs): Promise<pulumi.dynamic.CreateResult> {
  try {
    const client = await connect(inputs.dockerHost);
    const response = await expectOk(client, "POST", "/networks/create", {
      body: {
        Name: inputs.name,
        Driver: inputs.driver || "bridge",
        Attachable: inputs.attachable === true,
        Labels: labelMap(inputs.labels),
        CheckDuplicate: true,
      },
    });
    const id = (response.json as { Id?: string }).Id;
    if (!id) throw new Error(`POST /networks/create answered without an Id: ${response.text.slice(0, 500)}`);
    return { id, outs: withoutUndefined(inputs) };
  } catch (error) {
    throw maskedError(error, `${describe(inputs)}: creating failed: `, []);
  }
}

/** Refresh: gone -> no id; else the stored inputs with the live name. */
export async function networkRead(id: string, props?: StoredState): Promise<pulumi.dynamic.ReadResult> {
  const state = props ?? {};
  try {
    const client = await connect(state.dockerHost);
    const live = await inspectOrUndefined(client, `/networks/${encodeURIComponent(id)}`);
    if (!live) return {};
    return { id, props: withoutUndefined({ ...state, name: live.Name ?? state.name }) };
  } catch (error) {
    throw maskedError(error, `${describe(state, id)}: reading failed: `, []);
  }
}

export async function networkDelete(id: string, props: StoredState): Promise<void> {
  try {
    const client = await connect(props?.dockerHost);
    await deleteWithRetry(client, `/networks/${encodeURIComponent(id)}`);
  } catch (error) {
    throw maskedError(error, `${describe(props ?? {}, id)}: deleting failed: `, []);
  }
}

/** The dynamic provider object handed to `pulumi.dynamic.Resource`. */
export const networkProvider: pulumi.dynamic.ResourceProvider = {
  check: networkCheck,
  diff: networkDiff,
  create: networkCreate,
  read: networkRead,
  delete: networkDelete,
};

export { NETWORK_KEYS };
