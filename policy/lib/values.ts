/**
 * Resource inputs as plain data.
 *
 * During a preview some inputs are not known yet (a generated password, an id). @pulumi/policy hands a policy a
 * proxy that throws on reading such a value, and a throw makes the whole policy report "can't run during
 * preview" for that resource. Copying the inputs once, with every unknown replaced by `UNKNOWN`, lets each rule
 * decide for itself what an unknown means (usually: nothing to judge yet; `pulumi up` runs the pack again once
 * the values are known).
 */

/** Stands for a value Pulumi does not know yet during a preview. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

/** Plain JSON-like data; `UNKNOWN` where the engine had no value yet. */
export type Plain = string | number | boolean | null | Unknown | Plain[] | { [key: string]: Plain };
export type PlainObject = { [key: string]: Plain };

/** @pulumi/policy's error for a read of an unknown value (its class is not exported). */
const isUnknownValueError = (e: unknown): boolean => e instanceof Error && e.constructor.name === "UnknownValueError";

function read(source: Record<string | number, unknown>, key: string | number): unknown {
  try {
    return source[key];
  } catch (e) {
    if (isUnknownValueError(e)) return UNKNOWN;
    throw e;
  }
}

/** A deep copy of resource inputs (or a proxy of them) with unknown values as `UNKNOWN`. */
export function plain(value: unknown): Plain {
  if (value === UNKNOWN) return UNKNOWN;
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) {
    const source = value as unknown as Record<number, unknown>;
    return Array.from({ length: value.length }, (_, i) => plain(read(source, i)));
  }
  if (typeof value === "object") {
    const source = value as Record<string, unknown>;
    const out: PlainObject = {};
    for (const key of Object.keys(source)) out[key] = plain(read(source, key));
    return out;
  }
  return null;
}

export const isUnknown = (v: Plain | undefined): v is Unknown => v === UNKNOWN;

export function asObject(v: Plain | undefined): PlainObject | undefined {
  return v !== null && v !== undefined && v !== UNKNOWN && typeof v === "object" && !Array.isArray(v) ? v : undefined;
}

export const asArray = (v: Plain | undefined): Plain[] => (Array.isArray(v) ? v : []);
export const asString = (v: Plain | undefined): string | undefined => (typeof v === "string" ? v : undefined);
export const asNumber = (v: Plain | undefined): number | undefined =>
  typeof v === "number" ? v : typeof v === "string" && /^\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;

/** The value at a path of object keys, or undefined when any step is missing (UNKNOWN when a step is unknown). */
export function at(v: Plain | undefined, ...path: string[]): Plain | undefined {
  let cur: Plain | undefined = v;
  for (const key of path) {
    if (isUnknown(cur)) return UNKNOWN;
    const obj = asObject(cur);
    if (obj === undefined) return undefined;
    cur = obj[key];
  }
  return cur;
}
