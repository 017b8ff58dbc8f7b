/**
 * Diff of a connector's old state against its new inputs, key by key.
 *
 * - `name` changes replace the connector, deleting the old one first (two connectors with the same source config
 *   running side by side would read the same tables / write the same topics).
 * - `config` and `secretConfig` changes are in-place updates (`PUT /connectors/{name}/config`), reported per key as
 *   `config["tasks.max"]` / `secretConfig["database.password"]`. Secret keys are reported by name and kind only.
 * - `connectUrl` and `readyTimeoutSeconds` alone are not changes to the connector: the URL is how the machine that
 *   runs `pulumi` reaches Connect (a port-forward, a tunnel, a published host port) and may differ between runners
 *   of the same stack, and the timeout only governs waiting. Reporting them would make every such difference an
 *   update of the connector in `pulumi preview`. They take effect at the next create/update.
 *
 * `detailedDiff` follows Pulumi's DiffResponse (kinds ADD/DELETE/UPDATE/..._REPLACE, property paths). The Node dynamic
 * provider host of SDK 3.248 does not forward it; provider.ts explains how the preview still shows each key.
 */
import { RawInputs, StoredConnectorState, StringMap, UNKNOWN_VALUE } from "./types";

/** Mirrors Pulumi's PropertyDiff kinds (pulumirpc.PropertyDiff.Kind). */
export type PropertyDiffKind = "ADD" | "ADD_REPLACE" | "DELETE" | "DELETE_REPLACE" | "UPDATE" | "UPDATE_REPLACE";

export interface PropertyDiff {
  kind: PropertyDiffKind;
  inputDiff: boolean;
}

/** The dynamic provider's DiffResult plus the per-key detail Pulumi's gRPC DiffResponse carries. */
export interface ConnectorDiffResult {
  changes: boolean;
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
  /** Property paths of what changed, e.g. `config["tasks.max"]`, `secretConfig["database.password"]`, `name`. */
  diffs: string[];
  detailedDiff: Record<string, PropertyDiff>;
}

/** The property path of a map key: `config["tasks.max"]`. */
export function keyPath(map: string, key: string): string {
  return `${map}[${JSON.stringify(key)}]`;
}

type MapValue = StringMap | "unknown" | undefined;

function readMap(value: unknown): MapValue {
  if (value === UNKNOWN_VALUE) return "unknown";
  if (value && typeof value === "object" && !Array.isArray(value)) return value as StringMap;
  return undefined;
}

/**
 * Per-key diff of two string maps. A new value that is unknown (preview) counts as an update. Values are compared,
 * never copied into the result.
 */
export function diffStringMaps(mapName: string, olds: StringMap | undefined, news: MapValue): Record<string, PropertyDiff> {
  const out: Record<string, PropertyDiff> = {};
  const before = olds ?? {};
  if (news === "unknown") {
    out[mapName] = { kind: "UPDATE", inputDiff: true };
    return out;
  }
  const after = news ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of [...keys].sort()) {
    const had = Object.prototype.hasOwnProperty.call(before, key);
    const has = Object.prototype.hasOwnProperty.call(after, key);
    if (had && !has) out[keyPath(mapName, key)] = { kind: "DELETE", inputDiff: true };
    else if (!had && has) out[keyPath(mapName, key)] = { kind: "ADD", inputDiff: true };
    else if (after[key] === UNKNOWN_VALUE || before[key] !== after[key]) {
      out[keyPath(mapName, key)] = { kind: "UPDATE", inputDiff: true };
    }
  }
  return out;
}

/** The connector's diff; see the module comment for what replaces, what updates and what is ignored. */
export function diffConnector(olds: StoredConnectorState, news: RawInputs): ConnectorDiffResult {
  const detailedDiff: Record<string, PropertyDiff> = {};
  const replaces: string[] = [];

  const oldName = olds.name;
  const newName = news.name;
  if (newName === UNKNOWN_VALUE || (typeof oldName === "string" && oldName !== newName)) {
    detailedDiff["name"] = { kind: "UPDATE_REPLACE", inputDiff: true };
    replaces.push("name");
  }
  // A state without runState predates it and was RUNNING when recorded.
  if ((olds.runState ?? "RUNNING") !== (news.runState ?? "RUNNING")) detailedDiff["runState"] = { kind: "UPDATE", inputDiff: true };
  Object.assign(detailedDiff, diffStringMaps("config", olds.config, readMap(news.config)));
  Object.assign(detailedDiff, diffStringMaps("secretConfig", olds.secretConfig, readMap(news.secretConfig)));

  const diffs = Object.keys(detailedDiff);
  return {
    changes: diffs.length > 0,
    replaces,
    stables: replaces.length ? [] : ["name"],
    deleteBeforeReplace: replaces.length > 0,
    diffs,
    detailedDiff,
  };
}
