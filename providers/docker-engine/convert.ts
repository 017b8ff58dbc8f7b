/** Conversions from the docker provider's input shapes to the Docker API's. */

/** [{label, value}] -> {label: value} */
export function labelMap(labels: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(labels)) {
    for (const item of labels as { label?: unknown; value?: unknown }[]) {
      if (item && typeof item.label === "string") out[item.label] = typeof item.value === "string" ? item.value : "";
    }
  }
  return out;
}

/** {K: V} -> ["K=V"], sorted by key. */
export function envList(env: unknown): string[] {
  if (!env || typeof env !== "object" || Array.isArray(env)) return [];
  return Object.entries(env as Record<string, unknown>)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : ""}`);
}

/** The strings of a list ([] for anything else). */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Objects of a list ([] for anything else). */
export function objects(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v))
    : [];
}

/** An object field, or {} */
export function obj(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A string field, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A number field, or undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
