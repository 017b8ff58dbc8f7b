/**
 * The Pulumi dynamic provider behind `Connector`: create/diff/update/delete/read/check through Kafka Connect's REST API.
 *
 * Serialization: Pulumi serializes `connectorProvider` with its closure serializer and runs it later inside
 * `pulumi-resource-pulumi-nodejs`. The provider is therefore a plain object of module-level functions that only use
 * other module-level functions and constants, Node globals (`fetch`, `AbortSignal`, `URL`, `Buffer`, `process.env`)
 * and no imported packages at run time (`@pulumi/pulumi` is imported for types only).
 *
 * Decisions (see also diff.ts):
 * - id = connector name.
 * - create on an existing connector: if its live config equals ours exactly (ignoring the `name` key Connect adds),
 *   it is adopted without a PUT (this is what a retried `pulumi up` finds after a crash, or after state was lost);
 *   FAILED parts are restarted. If it differs, create fails and names the differing keys (never values): this stack
 *   did not create that connector, so it does not silently overwrite another owner's connector.
 * - create/update apply the config, then wait for the connector and all tasks to be RUNNING. If waiting fails, the
 *   connector exists: the error carries the id and the observed state, so Pulumi records the resource with an
 *   initialization error (like the Kubernetes provider's await) and the next `pulumi up` updates it again instead of
 *   trying to create a connector that already exists.
 * - update: PUT only when the live config differs from ours (an identical PUT still restarts the connector); when it
 *   is identical, FAILED connector/tasks are restarted, so `pulumi up` also heals a failed connector it retries.
 * - delete: 404 counts as already gone.
 * - read: 404 on GET /connectors/{name} -> no id (deleted out of band). Live keys that we keep in secretConfig go to
 *   secretConfig, the rest to config; `name` (added by Connect) is dropped. Returned as inputs too, so that drift
 *   shows in the next preview. Without prior state (import), password-like key names go to secretConfig.
 * - diff: answers "changes unknown" when it finds changes, so that the engine records a per-key detailed diff
 *   (see providerDiff).
 * - read and delete use the connectUrl stored in state; `connectUrl` alone never triggers an update, so if Connect
 *   moved, set KAFKA_CONNECT_URL_OVERRIDE in the environment of `pulumi` to point read and delete at it.
 * - Secrets: every error leaving this provider has all secretConfig values masked as "[secret]".
 */
import type * as pulumi from "@pulumi/pulumi";
import { checkConnectorInputs } from "./check";
import { ConnectorDiffResult, diffConnector } from "./diff";
import { errorMessage, InitFailureFields, redactError, secretValues } from "./redact";
import {
  deleteConnector,
  getConnector,
  getConnectorStatus,
  OperationContext,
  operationContext,
  putConnectorConfig,
  restart,
  resume,
} from "./rest-client";
import {
  ConnectorInputs,
  ConnectorOutputs,
  ConnectorStatus,
  DEFAULT_READY_TIMEOUT_SECONDS,
  RawInputs,
  RunState,
  StoredConnectorState,
  StringMap,
} from "./types";
import { NotReadyError, waitForRunning } from "./wait-running";

/** Environment variable that, when set, replaces the stored connectUrl for read (refresh) and delete. */
const CONNECT_URL_OVERRIDE_ENV = "KAFKA_CONNECT_URL_OVERRIDE";

/** Key names treated as secret when a connector is read without prior state (import). */
const SECRET_KEY_PATTERN = /password|secret|token|credential|jaas|apikey|api\.key/i;

function overrideUrl(): string | undefined {
  const value = process.env[CONNECT_URL_OVERRIDE_ENV];
  return value && value.trim() ? value.trim() : undefined;
}

function isStringMap(value: unknown): value is StringMap {
  return (
    !!value &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.values(value as Record<string, unknown>).every((v) => typeof v === "string")
  );
}

/** Inputs after check, as typed values; throws if they are not (which check prevents). */
export function toConnectorInputs(raw: RawInputs): ConnectorInputs {
  const { connectUrl, name, config, secretConfig, readyTimeoutSeconds, runState } = raw;
  if (typeof connectUrl !== "string" || !connectUrl) throw new Error("connectUrl is required");
  if (typeof name !== "string" || !name) throw new Error("name is required");
  if (!isStringMap(config)) throw new Error("config must be an object of string values");
  if (runState !== undefined && runState !== "RUNNING") throw new Error(`runState must be "RUNNING", got ${JSON.stringify(runState)}`);
  if (secretConfig !== undefined && !isStringMap(secretConfig)) {
    throw new Error("secretConfig must be an object of string values");
  }
  const timeout = typeof readyTimeoutSeconds === "number" && readyTimeoutSeconds > 0 ? readyTimeoutSeconds : DEFAULT_READY_TIMEOUT_SECONDS;
  const cleanConfig: StringMap = { ...config };
  if (cleanConfig.name === name) delete cleanConfig.name;
  return {
    connectUrl,
    name,
    config: cleanConfig,
    secretConfig: { ...(secretConfig ?? {}) },
    readyTimeoutSeconds: timeout,
    runState: "RUNNING",
  };
}

/** The config Connect gets: config merged with secretConfig. */
export function desiredConfig(inputs: ConnectorInputs): StringMap {
  return { ...inputs.config, ...inputs.secretConfig };
}

/** Keys whose values differ between the live config and ours, ignoring the `name` key Connect adds. */
export function differingKeys(live: StringMap, desired: StringMap, name: string): string[] {
  const liveClean: StringMap = { ...live };
  if (liveClean.name === name) delete liveClean.name;
  const keys = new Set([...Object.keys(liveClean), ...Object.keys(desired)]);
  return [...keys].filter((k) => liveClean[k] !== desired[k]).sort();
}

function outputsOf(inputs: ConnectorInputs, status: ConnectorStatus | undefined, type?: string): ConnectorOutputs {
  return {
    connectUrl: inputs.connectUrl,
    name: inputs.name,
    config: { ...inputs.config },
    secretConfig: { ...inputs.secretConfig },
    readyTimeoutSeconds: inputs.readyTimeoutSeconds,
    runState: inputs.runState,
    state: status?.connector.state ?? "UNKNOWN",
    taskStates: status ? status.tasks.map((t) => t.state) : [],
    type: status?.type ?? type ?? "unknown",
  };
}

/** The live target state: PAUSED or STOPPED when put there (by hand), else RUNNING (FAILED etc. are run states). */
function runStateOf(status: ConnectorStatus | undefined): RunState {
  const state = status?.connector.state;
  return state === "PAUSED" || state === "STOPPED" ? state : "RUNNING";
}

/**
 * Resumes a connector paused or stopped out of band, and restarts the connector and the tasks that are FAILED (an
 * identical PUT would do neither).
 */
async function restartFailed(ctx: OperationContext, name: string): Promise<void> {
  const status = await getConnectorStatus(ctx, name);
  if (!status) return;
  if (runStateOf(status) !== "RUNNING") await resume(ctx, name);
  if (status.connector.state === "FAILED") await restart(ctx, name);
  for (const task of status.tasks) {
    if (task.state === "FAILED") await restart(ctx, name, task.id);
  }
}

/**
 * Makes the live config equal ours (create: adopt only an identical connector), then waits for RUNNING.
 * `providerBlob` is the serialized provider (`__provider`), kept in the state recorded on an initialization failure.
 */
async function applyAndWait(inputs: ConnectorInputs, mode: "create" | "update", providerBlob: unknown): Promise<ConnectorOutputs> {
  const ctx = operationContext(inputs.connectUrl, inputs.readyTimeoutSeconds);
  const name = inputs.name;
  const desired = desiredConfig(inputs);
  let type: string | undefined;

  const live = await getConnector(ctx, name);
  if (!live) {
    type = (await putConnectorConfig(ctx, name, desired)).type;
  } else {
    type = live.type;
    const differing = differingKeys(live.config, desired, name);
    if (differing.length === 0) {
      await restartFailed(ctx, name);
    } else if (mode === "create") {
      throw new Error(
        `connector "${name}" already exists at ${ctx.endpoint.baseUrl} with a different config ` +
          `(keys that differ: ${differing.join(", ")}). This stack did not create it with this config, so it will ` +
          `not take it over: delete it (DELETE ${ctx.endpoint.baseUrl}/connectors/${encodeURIComponent(name)}) or ` +
          `make config and secretConfig match it exactly to adopt it, then run again.`,
      );
    } else {
      type = (await putConnectorConfig(ctx, name, desired)).type ?? type;
      // A new config does not resume a connector paused by hand.
      await restartFailed(ctx, name);
    }
  }

  try {
    const status = await waitForRunning(ctx, name);
    return outputsOf(inputs, status, type);
  } catch (error) {
    const lastStatus = (error as NotReadyError).lastStatus;
    const message = errorMessage(error);
    const properties: Record<string, unknown> = { ...outputsOf(inputs, lastStatus, type) };
    if (providerBlob !== undefined) properties.__provider = providerBlob;
    const failure: Error & InitFailureFields = new Error(message);
    failure.id = name;
    failure.properties = properties;
    failure.reasons = [message];
    throw failure;
  }
}

/** check: validates inputs; see check.ts for the messages. */
export async function providerCheck(_olds: RawInputs, news: RawInputs): Promise<pulumi.dynamic.CheckResult<RawInputs>> {
  const result = checkConnectorInputs(news);
  return result.failures.length ? { inputs: news, failures: result.failures } : { inputs: result.inputs };
}

/** The diff as handed to the dynamic provider host: `changes` is left unset when there are changes (see below). */
export type ProviderDiffResult = Omit<ConnectorDiffResult, "changes"> & { changes?: boolean };

/**
 * diff: per key; see diff.ts for what replaces, what updates and what is ignored.
 *
 * The Node dynamic provider host of SDK 3.248 forwards only changes/replaces/deleteBeforeReplace, not detailedDiff.
 * With `changes: true` the engine would then show a secret-only change as a bare "update" without naming the key.
 * So when this diff finds changes, it answers "changes unknown" (keeping replaces): the engine then diffs the old and
 * new inputs itself and records that per-key detailed diff (`~ config: { ~ tasks.max: "1" => "3" }`,
 * `~ secretConfig: { ~ database.password: [secret] => [secret] }`). When it finds none it answers `changes: false`,
 * which is what keeps a connectUrl-only change from updating the connector.
 */
export async function providerDiff(_id: string, olds: StoredConnectorState, news: RawInputs): Promise<ProviderDiffResult> {
  const diff = diffConnector(olds, news);
  if (!diff.changes) return diff;
  const { changes: _changes, ...rest } = diff;
  void _changes;
  return rest;
}

/** create: PUT config (or adopt an identical connector), wait for RUNNING. */
export async function providerCreate(raw: RawInputs): Promise<pulumi.dynamic.CreateResult<ConnectorOutputs>> {
  const secrets = secretValues(raw.secretConfig as StringMap | undefined);
  try {
    const inputs = toConnectorInputs(raw);
    const outs = await applyAndWait(inputs, "create", raw.__provider);
    return { id: inputs.name, outs };
  } catch (error) {
    throw redactError(prefixed(error, "creating"), secrets);
  }
}

/** update: PUT config when it differs from the live one (else restart FAILED parts), wait for RUNNING. */
export async function providerUpdate(
  _id: string,
  olds: StoredConnectorState,
  news: RawInputs,
): Promise<pulumi.dynamic.UpdateResult<ConnectorOutputs>> {
  const secrets = secretValues(news.secretConfig as StringMap | undefined, olds.secretConfig);
  try {
    const inputs = toConnectorInputs(news);
    const outs = await applyAndWait(inputs, "update", news.__provider);
    return { outs };
  } catch (error) {
    throw redactError(prefixed(error, "updating"), secrets);
  }
}

/** delete: DELETE /connectors/{name}; 404 is already gone. */
export async function providerDelete(id: string, props: StoredConnectorState): Promise<void> {
  const secrets = secretValues(props?.secretConfig);
  try {
    const url = overrideUrl() ?? props?.connectUrl;
    const name = props?.name ?? id;
    if (!url) throw new Error(`no connectUrl in the state of connector "${name}"; set ${CONNECT_URL_OVERRIDE_ENV}`);
    const ctx = operationContext(url, props?.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS);
    await deleteConnector(ctx, name);
  } catch (error) {
    throw redactError(prefixed(error, "deleting"), secrets);
  }
}

/** read (refresh, import): live config + status; no id when the connector is gone. */
export async function providerRead(id: string, props?: StoredConnectorState): Promise<pulumi.dynamic.ReadResult<StoredConnectorState>> {
  const state: StoredConnectorState = props ?? {};
  let secrets = secretValues(state.secretConfig);
  try {
    const url = overrideUrl() ?? state.connectUrl;
    const name = state.name ?? id;
    if (!url) {
      throw new Error(`no connectUrl in the state of connector "${name}"; set ${CONNECT_URL_OVERRIDE_ENV} to read it`);
    }
    const ctx = operationContext(url, state.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS);
    const info = await getConnector(ctx, name);
    if (!info) return {};
    // GET /connectors/{name} is the authority on existence: a status 404 right after a create only means "no status
    // yet", recorded as state UNKNOWN.
    const status = await getConnectorStatus(ctx, name);

    const hadState = !!state.config || !!state.secretConfig;
    const secretKeys = new Set(Object.keys(state.secretConfig ?? {}));
    const config: StringMap = {};
    const secretConfig: StringMap = {};
    for (const [key, value] of Object.entries(info.config)) {
      if (key === "name" && value === name) continue;
      const secret = secretKeys.has(key) || (!hadState && SECRET_KEY_PATTERN.test(key));
      if (secret) secretConfig[key] = value;
      else config[key] = value;
    }
    secrets = secretValues(state.secretConfig, secretConfig);

    const inputs: ConnectorInputs = {
      connectUrl: state.connectUrl ?? url,
      name,
      config,
      secretConfig,
      readyTimeoutSeconds: state.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS,
      runState: "RUNNING",
    };
    // The live target state, so that a connector paused or stopped by hand is drift that the next update resumes.
    const live: ConnectorInputs = { ...inputs, runState: runStateOf(status) };
    const outs = outputsOf(live, status, info.type);
    return { id: name, props: outs, inputs: { ...live } };
  } catch (error) {
    throw redactError(prefixed(error, "reading"), secrets);
  }
}

/** "Kafka Connect: creating failed: <message>", keeping the initialization-failure fields. */
function prefixed(error: unknown, action: string): Error & InitFailureFields {
  const prefix = `Kafka Connect: ${action} failed: `;
  const out: Error & InitFailureFields = new Error(prefix + errorMessage(error));
  const source = (error && typeof error === "object" ? error : {}) as InitFailureFields;
  if (typeof source.id === "string") out.id = source.id;
  if (source.properties) out.properties = source.properties;
  if (Array.isArray(source.reasons)) out.reasons = source.reasons.map((r) => prefix + String(r));
  return out;
}

/** The dynamic provider object handed to `pulumi.dynamic.Resource`. */
export const connectorProvider: pulumi.dynamic.ResourceProvider<RawInputs, StoredConnectorState> = {
  check: providerCheck,
  diff: providerDiff,
  create: providerCreate,
  read: providerRead,
  update: providerUpdate,
  delete: providerDelete,
};

// Exported by name (not `export const`) so that the functions above refer to the constant itself rather than to
// `exports.X`, which would make closure serialization capture this whole module object.
export { CONNECT_URL_OVERRIDE_ENV, SECRET_KEY_PATTERN };
