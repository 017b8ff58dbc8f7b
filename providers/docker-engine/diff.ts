/**
 * Diffs of old state against new inputs, top-level key by key, after normalisation, so that inputs that mean the same
 * are not reported as changes: durations compare as nanoseconds ("60s" == "1m"), labels regardless of order, and
 * absent == null == false == "" == [] == {} (every boolean these resources take defaults to false, every list and
 * map to empty). Kinds add their own defaults (a port's ip "0.0.0.0", protocol "tcp", ...) with `normalize`.
 *
 * A new value that is unknown (preview), at any depth, counts as a change.
 */
import { parseDuration } from "./duration";
import { HIDDEN_INPUTS, RawInputs, StoredState, UNKNOWN_VALUE } from "./types";

/** Keys whose string values are durations. */
const DURATION_KEYS: readonly string[] = [
  "interval",
  "timeout",
  "startPeriod",
  "delay",
  "window",
  "monitor",
  "stopGracePeriod",
];

export interface DockerDiffResult {
  changes: boolean;
  /** Top-level input keys whose change replaces the object. */
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** Every changed top-level key. */
  diffs: string[];
}

/** The value in a canonical form (see the module comment); undefined for "absent". */
export function canonical(value: unknown, key = ""): unknown {
  if (value === undefined || value === null || value === false || value === "") return undefined;
  if (typeof value === "string") {
    if (DURATION_KEYS.includes(key) && value !== UNKNOWN_VALUE) {
      const nanos = parseDuration(value);
      return nanos === 0 ? undefined : (nanos ?? value);
    }
    return value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    const items = value.map((v) => canonical(v) ?? null);
    if (key === "labels") {
      return items.sort((a, b) => {
        const la = String((a as { label?: unknown } | null)?.label ?? "");
        const lb = String((b as { label?: unknown } | null)?.label ?? "");
        return la < lb ? -1 : la > lb ? 1 : 0;
      });
    }
    return items;
  }
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object).sort()) {
      const v = canonical((value as Record<string, unknown>)[k], k);
      if (v !== undefined) out[k] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** Top-level keys (sorted) whose normalised values differ; hidden inputs other than dockerHost are ignored. */
export function changedKeys(olds: RawInputs, news: RawInputs): string[] {
  const ignore = new Set<string>(["__provider", ...HIDDEN_INPUTS.filter((k) => k !== "dockerHost")]);
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  const changed: string[] = [];
  for (const key of keys) {
    if (ignore.has(key)) continue;
    const after = news[key];
    if (containsUnknown(after)) {
      changed.push(key);
      continue;
    }
    if (JSON.stringify(canonical(olds[key], key)) !== JSON.stringify(canonical(after, key))) changed.push(key);
  }
  return changed.sort();
}

/**
 * The diff of a kind: `replaces(key)` says which changed keys replace. A replacement deletes first when the new
 * object would take the old one's fixed name (given, not generated, and unchanged): two objects cannot share it.
 */
export function diffInputs(
  olds: StoredState,
  news: RawInputs,
  replaces: (key: string) => boolean,
  normalize: (inputs: RawInputs) => RawInputs = (inputs) => inputs,
): DockerDiffResult {
  const unknown = Object.keys(news).filter((key) => key !== "__provider" && containsUnknown(news[key]));
  const diffs = [...new Set([...changedKeys(normalize(olds), normalize(news)), ...unknown])].sort();
  const replaced = diffs.filter(replaces);
  const fixedName = news.autoNamed !== true && !diffs.includes("name");
  return { changes: diffs.length > 0, replaces: replaced, deleteBeforeReplace: replaced.length > 0 && fixedName, diffs };
}
