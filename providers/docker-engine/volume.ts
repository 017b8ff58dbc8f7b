/**
 * Volume: `POST /volumes/create`, inspect, remove. Any input change replaces the volume (deleting it first when its
 * name is fixed). Like the docker provider, creating a volume whose name already exists adopts it (the engine answers
 * with the existing one). Removal retries while a container that is going away still uses it; 404 counts as already
 * gone. id = the volume name.
 */
import type * as pulumi from "@pulumi/pulumi";
import { labelMap } from "./convert";
import { DockerDiffResult, diffInputs } from "./diff";
import { connect, deleteWithRetry, expectOk, inspectOrUndefined } from "./http-client";
import { checkCommon, OBJECT_NAME, withoutUndefined } from "./naming";
import { maskedError } from "./redact";
import { HIDDEN_INPUTS, RawInputs, StoredState } from "./types";
import { checkLabels, checkObject, checkString, newChecker } from "./validate";

const VOLUME_KEYS: readonly string[] = ["name", "driver", "labels"];

function describe(inputs: RawInputs, id?: string): string {
  return `docker-engine Volume ${JSON.stringify(inputs.name ?? id ?? "?")}`;
}

export async function volumeCheck(olds: RawInputs, news: RawInputs): Promise<pulumi.dynamic.CheckResult<RawInputs>> {
  const c = newChecker();
  checkObject(c, "", news, [...VOLUME_KEYS, ...HIDDEN_INPUTS, "__provider"]);
  const naming = checkCommon(c, olds, news, OBJECT_NAME);
  checkString(c, "driver", news.driver, { nonEmpty: true });
  checkLabels(c, "labels", news.labels);
  if (c.failures.length) return { inputs: news, failures: c.failures };
  return { inputs: withoutUndefined({ ...news, ...naming }) };
}

/** Any change replaces. */
export async function volumeDiff(_id: string, olds: StoredState, news: RawInputs): Promise<DockerDiffResult> {
  return diffInputs(olds, news, () => true, (i) => ({ ...i, driver: i.driver || "local" }));
}

export async function volumeCreate(inputs: RawInputs): Promise<pulumi.dynamic.CreateResult> {
  try {
    const client = await connect(inputs.dockerHost);
    const response = await expectOk(client, "POST", "/volumes/create", {
      body: { Name: inputs.name, Driver: inputs.driver || "local", Labels: labelMap(inputs.labels) },
    });
    const name = (response.json as { Name?: string }).Name ?? String(inputs.name);
    return { id: name, outs: withoutUndefined({ ...inputs, name }) };
  } catch (error) {
    throw maskedError(error, `${describe(inputs)}: creating failed: `, []);
  }
}

/** Refresh: gone -> no id; else the stored inputs. */
export async function volumeRead(id: string, props?: StoredState): Promise<pulumi.dynamic.ReadResult> {
  const state = props ?? {};
  try {
    const client = await connect(state.dockerHost);
    const live = await inspectOrUndefined(client, `/volumes/${encodeURIComponent(id)}`);
    if (!live) return {};
    return { id, props: withoutUndefined({ ...state, name: live.Name ?? id }) };
  } catch (error) {
    throw maskedError(error, `${describe(state, id)}: reading failed: `, []);
  }
}

export async function volumeDelete(id: string, props: StoredState): Promise<void> {
  try {
    const client = await connect(props?.dockerHost);
    await deleteWithRetry(client, `/volumes/${encodeURIComponent(id)}`);
  } catch (error) {
    throw maskedError(error, `${describe(props ?? {}, id)}: deleting failed: `, []);
  }
}

/** The dynamic provider object handed to `pulumi.dynamic.Resource`. */
export const volumeProvider: pulumi.dynamic.ResourceProvider = {
  check: volumeCheck,
  diff: volumeDiff,
  create: volumeCreate,
  read: volumeRead,
  delete: volumeDelete,
};

export { VOLUME_KEYS };
