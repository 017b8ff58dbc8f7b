/**
 * Small validators for `check`. Each names the field by its full path (`ports[0].internal`,
 * `taskSpec.containerSpec.env["PASSWORD"]`) and collects failures instead of stopping at the first. Values unknown
 * during preview (UNKNOWN_VALUE) pass, at any depth. Values of secret-bearing fields never appear in a reason: those
 * validators report the type or the expected form only.
 *
 * Failures carry an empty `property`: the engine prints `inputs[property]` next to a named property, which would print
 * whole (possibly secret) values; the reason names the field instead.
 */
import { parseDuration, DURATION_HINT } from "./duration";
import { CheckFailureEntry, UNKNOWN_VALUE } from "./types";

export interface Checker {
  failures: CheckFailureEntry[];
}

type Obj = Record<string, unknown>;

export function newChecker(): Checker {
  return { failures: [] };
}

export function fail(c: Checker, reason: string): void {
  c.failures.push({ property: "", reason });
}

export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN_VALUE;
}

function absent(value: unknown): boolean {
  return value === undefined || value === null;
}

/** Fails "<path> is required" when absent; true when the value is there (or unknown). */
export function required(c: Checker, path: string, value: unknown): boolean {
  if (absent(value) || value === "") {
    fail(c, `${path} is required`);
    return false;
  }
  return true;
}

/**
 * An object (not an array) or nothing. Keys outside `allowed` fail as not supported: silently ignoring an argument
 * that `@pulumi/docker` would honour would deploy something else than asked. Returns the object when it can be looked
 * into (present, known, an object).
 */
export function checkObject(c: Checker, path: string, value: unknown, allowed: readonly string[]): Obj | undefined {
  if (absent(value) || isUnknown(value)) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    fail(c, `${path} must be an object, got ${typeName(value)}`);
    return undefined;
  }
  const obj = value as Obj;
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key) && !absent(obj[key])) {
      fail(c, `${path ? `${path}.` : ""}${key} is not supported by providers/docker-engine`);
    }
  }
  return obj;
}

export interface StringRules {
  /** Allowed values (the value is printed: do not use on secret fields). */
  oneOf?: readonly string[];
  /** [pattern, what it means], e.g. [/^\//, "an absolute path"]; the value is printed unless `secret`. */
  pattern?: readonly [RegExp, string];
  nonEmpty?: boolean;
  /** Never print the value. */
  secret?: boolean;
}

/** A string (or nothing). */
export function checkString(c: Checker, path: string, value: unknown, rules: StringRules = {}): void {
  if (absent(value) || isUnknown(value)) return;
  if (typeof value !== "string") {
    fail(c, `${path} must be a string, got ${typeName(value)}`);
    return;
  }
  const shown = rules.secret ? "" : `, got ${JSON.stringify(value)}`;
  if (rules.nonEmpty && value.trim() === "") fail(c, `${path} must not be empty`);
  else if (rules.oneOf && !rules.oneOf.includes(value)) {
    fail(c, `${path} must be one of ${rules.oneOf.map((v) => JSON.stringify(v)).join(", ")}${shown}`);
  } else if (rules.pattern && !rules.pattern[0].test(value)) fail(c, `${path} must be ${rules.pattern[1]}${shown}`);
}

export function checkBool(c: Checker, path: string, value: unknown): void {
  if (absent(value) || isUnknown(value)) return;
  if (typeof value !== "boolean") fail(c, `${path} must be a boolean, got ${typeName(value)}`);
}

/** An integer in [min, max] (or nothing). */
export function checkInt(c: Checker, path: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (absent(value) || isUnknown(value)) return;
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
  if (typeof value !== "number") fail(c, `${path} must be an integer ${range}, got ${typeName(value)}`);
  else if (!Number.isInteger(value) || value < min || value > max) fail(c, `${path} must be an integer ${range}, got ${value}`);
}

/** A positive number (or nothing). */
export function checkPositive(c: Checker, path: string, value: unknown): void {
  if (absent(value) || isUnknown(value)) return;
  if (typeof value !== "number") fail(c, `${path} must be a positive number, got ${typeName(value)}`);
  else if (!Number.isFinite(value) || value <= 0) fail(c, `${path} must be a positive number, got ${value}`);
}

/** A duration string such as "10s" (or nothing). */
export function checkDuration(c: Checker, path: string, value: unknown): void {
  if (absent(value) || isUnknown(value)) return;
  if (typeof value !== "string") fail(c, `${path} must be ${DURATION_HINT}, got ${typeName(value)}`);
  else if (parseDuration(value) === undefined) fail(c, `${path} must be ${DURATION_HINT}, got ${JSON.stringify(value)}`);
}

/** A list (or nothing); returns its items when it can be looked into. */
export function checkArray(c: Checker, path: string, value: unknown): unknown[] | undefined {
  if (absent(value) || isUnknown(value)) return undefined;
  if (!Array.isArray(value)) {
    fail(c, `${path} must be a list, got ${typeName(value)}`);
    return undefined;
  }
  return value;
}

/** A list of strings (or nothing). */
export function checkStringList(c: Checker, path: string, value: unknown, rules: StringRules = {}): void {
  const items = checkArray(c, path, value);
  items?.forEach((item, i) => {
    if (absent(item)) fail(c, `${path}[${i}] must be a string, got ${typeName(item)}`);
    else checkString(c, `${path}[${i}]`, item, rules);
  });
}

/** A list of objects, each checked by `each` (or nothing). */
export function checkObjectList(
  c: Checker,
  path: string,
  value: unknown,
  allowed: readonly string[],
  each: (item: Obj, itemPath: string) => void,
): void {
  const items = checkArray(c, path, value);
  items?.forEach((item, i) => {
    const itemPath = `${path}[${i}]`;
    if (absent(item)) fail(c, `${itemPath} must be an object, got ${typeName(item)}`);
    const obj = checkObject(c, itemPath, item, allowed);
    if (obj) each(obj, itemPath);
  });
}

/** `[{label, value}]`, labels unique. */
export function checkLabels(c: Checker, path: string, value: unknown): void {
  const seen = new Set<string>();
  checkObjectList(c, path, value, ["label", "value"], (item, itemPath) => {
    if (required(c, `${itemPath}.label`, item.label)) checkString(c, `${itemPath}.label`, item.label, { nonEmpty: true });
    if (absent(item.value)) fail(c, `${itemPath}.value is required`);
    else checkString(c, `${itemPath}.value`, item.value);
    if (typeof item.label === "string" && !isUnknown(item.label)) {
      if (seen.has(item.label)) fail(c, `${itemPath}.label ${JSON.stringify(item.label)} is set more than once`);
      seen.add(item.label);
    }
  });
}

/** A map of strings (or nothing). With `secret`, values are never printed (only their type). */
export function checkStringMap(c: Checker, path: string, value: unknown): void {
  if (absent(value) || isUnknown(value)) return;
  if (typeof value !== "object" || Array.isArray(value)) {
    fail(c, `${path} must be an object of string values, got ${typeName(value)}`);
    return;
  }
  for (const [key, v] of Object.entries(value as Obj)) {
    const keyPath = `${path}[${JSON.stringify(key)}]`;
    if (key.trim() === "") fail(c, `${path} has an empty key`);
    else if (!isUnknown(v) && typeof v !== "string") fail(c, `${keyPath} must be a string, got ${typeName(v)}`);
  }
}
