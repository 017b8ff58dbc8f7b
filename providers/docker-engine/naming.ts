/**
 * What every resource kind checks the same way: the Docker host, and the object's name, generated like Pulumi's
 * auto-naming when none is given (the Pulumi resource name + "-" + 7 random hex characters, kept across updates;
 * the engine calls `check` again without old inputs before a replacement, which yields a fresh name).
 */
import { parseDockerHost } from "./http-client";
import { Checker, checkString, fail, isUnknown } from "./validate";
import { RawInputs } from "./types";

/** Docker's rule for container, volume and network names. */
const OBJECT_NAME: readonly [RegExp, string] = [
  /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/,
  `2 or more letters, digits, "_", "." or "-", starting with a letter or digit`,
];

/** Swarm's rule for service, config and secret names (at most 63 characters: service names are DNS labels). */
const SWARM_NAME: readonly [RegExp, string] = [
  /^(?=.{1,63}$)[a-zA-Z0-9](?:[a-zA-Z0-9_.-]*[a-zA-Z0-9])?$/,
  `1 to 63 letters, digits, "_", "." or "-", starting and ending with a letter or digit`,
];

/** 7 random hex characters. */
export function randomSuffix(): string {
  let out = "";
  for (let i = 0; i < 7; i++) out += Math.floor(Math.random() * 16).toString(16);
  return out;
}

/**
 * Checks `dockerHost` and `name` and returns the inputs to keep: `name` (given or generated) and `autoNamed`.
 * Without a name and without `autoNameBase` (a direct call, not through a resource class), `name` is required.
 */
export function checkCommon(
  c: Checker,
  olds: RawInputs,
  news: RawInputs,
  rule: readonly [RegExp, string],
): { name?: unknown; autoNamed?: boolean } {
  const host = news.dockerHost;
  if (host !== undefined && host !== null && !isUnknown(host)) {
    if (typeof host !== "string") fail(c, `dockerHost (the provider's host) must be a string, got ${typeof host}`);
    else {
      try {
        parseDockerHost(host);
      } catch (error) {
        fail(c, `dockerHost (the provider's host): ${(error as Error).message}`);
      }
    }
  }
  const given = news.name;
  if (given !== undefined && given !== null && given !== "") {
    checkString(c, "name", given, { pattern: rule });
    return { name: given, autoNamed: undefined };
  }
  const base = news.autoNameBase;
  if (typeof base !== "string" || base === "") {
    fail(c, "name is required");
    return {};
  }
  if (olds.autoNamed === true && olds.autoNameBase === base && typeof olds.name === "string") {
    return { name: olds.name, autoNamed: true };
  }
  const name = `${base}-${randomSuffix()}`;
  checkString(c, `name (generated from the resource name ${JSON.stringify(base)})`, name, { pattern: rule });
  return { name, autoNamed: true };
}

/** Copies `inputs` without undefined values (the provider host cannot send undefined back to the engine). */
export function withoutUndefined(inputs: RawInputs): RawInputs {
  return JSON.parse(JSON.stringify(inputs)) as RawInputs;
}

export { OBJECT_NAME, SWARM_NAME };
