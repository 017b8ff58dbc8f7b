/**
 * Input validation of Container, with messages that name the field, e.g. `ports[0].internal must be an integer from
 * 1 to 65535, got 0`. Environment values and upload contents are never printed.
 */
import type * as pulumi from "@pulumi/pulumi";
import { checkCommon, OBJECT_NAME, withoutUndefined } from "./naming";
import { HIDDEN_INPUTS, RawInputs } from "./types";
import {
  checkBool,
  checkDuration,
  checkInt,
  checkLabels,
  checkObject,
  checkObjectList,
  checkPositive,
  checkString,
  checkStringList,
  fail,
  isUnknown,
  newChecker,
  required,
  Checker,
  typeName,
} from "./validate";

const CONTAINER_KEYS: readonly string[] = [
  "name",
  "hostname",
  "image",
  "entrypoints",
  "command",
  "envs",
  "user",
  "labels",
  "restart",
  "networksAdvanced",
  "ports",
  "volumes",
  "uploads",
  "healthcheck",
  "wait",
  "waitTimeout",
  "memory",
  "memorySwap",
  "cpus",
  "stopTimeout",
  "destroyGraceSeconds",
];

const RESTART_POLICIES: readonly string[] = ["no", "on-failure", "always", "unless-stopped"];
const ABSOLUTE_PATH: readonly [RegExp, string] = [/^\/.*/, "an absolute path"];
const CPUS: readonly [RegExp, string] = [/^(?=.*[1-9])\d+(?:\.\d+)?$/, `a positive decimal number of CPUs such as "1.5"`];
const BASE64: readonly [RegExp, string] = [/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, "base64-encoded"];

function checkEnvs(c: Checker, value: unknown): void {
  if (value === undefined || value === null || isUnknown(value)) return;
  if (!Array.isArray(value)) {
    fail(c, `envs must be a list of "KEY=VALUE" strings, got ${typeName(value)}`);
    return;
  }
  value.forEach((item, i) => {
    if (isUnknown(item)) return;
    if (typeof item !== "string") fail(c, `envs[${i}] must be a string, got ${typeName(item)}`);
    else if (!/^[^=\s]+=/.test(item)) fail(c, `envs[${i}] must have the form KEY=VALUE (its value is not shown: it may be secret)`);
  });
}

function checkUploads(c: Checker, value: unknown): void {
  checkObjectList(c, "uploads", value, ["file", "content", "contentBase64", "executable"], (u, path) => {
    if (required(c, `${path}.file`, u.file)) checkString(c, `${path}.file`, u.file, { pattern: ABSOLUTE_PATH });
    const hasContent = u.content !== undefined && u.content !== null;
    const hasBase64 = u.contentBase64 !== undefined && u.contentBase64 !== null;
    if (hasContent === hasBase64) fail(c, `${path} must set exactly one of content and contentBase64`);
    checkString(c, `${path}.content`, u.content, { secret: true });
    checkString(c, `${path}.contentBase64`, u.contentBase64, { pattern: BASE64, secret: true });
    checkBool(c, `${path}.executable`, u.executable);
  });
}

function checkHealthcheck(c: Checker, value: unknown): void {
  const h = checkObject(c, "healthcheck", value, ["tests", "interval", "timeout", "startPeriod", "retries"]);
  if (!h) return;
  if (required(c, "healthcheck.tests", h.tests)) {
    checkStringList(c, "healthcheck.tests", h.tests);
    if (Array.isArray(h.tests) && h.tests.length === 0) fail(c, `healthcheck.tests must not be empty`);
  }
  for (const key of ["interval", "timeout", "startPeriod"]) checkDuration(c, `healthcheck.${key}`, h[key]);
  checkInt(c, "healthcheck.retries", h.retries, 0);
}

/** Validates a Container's inputs; fills in `name` (generated when not given). */
export async function containerCheck(olds: RawInputs, news: RawInputs): Promise<pulumi.dynamic.CheckResult<RawInputs>> {
  const c = newChecker();
  checkObject(c, "", news, [...CONTAINER_KEYS, ...HIDDEN_INPUTS, "__provider"]);
  const naming = checkCommon(c, olds, news, OBJECT_NAME);
  if (required(c, "image", news.image)) checkString(c, "image", news.image, { nonEmpty: true });
  checkString(c, "hostname", news.hostname);
  checkStringList(c, "entrypoints", news.entrypoints);
  checkStringList(c, "command", news.command);
  checkEnvs(c, news.envs);
  checkString(c, "user", news.user);
  checkLabels(c, "labels", news.labels);
  checkString(c, "restart", news.restart, { oneOf: RESTART_POLICIES });
  checkObjectList(c, "networksAdvanced", news.networksAdvanced, ["name", "aliases"], (n, path) => {
    if (required(c, `${path}.name`, n.name)) checkString(c, `${path}.name`, n.name);
    checkStringList(c, `${path}.aliases`, n.aliases, { nonEmpty: true });
  });
  checkObjectList(c, "ports", news.ports, ["internal", "external", "ip", "protocol"], (p, path) => {
    if (required(c, `${path}.internal`, p.internal)) checkInt(c, `${path}.internal`, p.internal, 1, 65535);
    checkInt(c, `${path}.external`, p.external, 1, 65535);
    checkString(c, `${path}.ip`, p.ip, { pattern: [/^[0-9a-fA-F.:]+$/, "an IP address"] });
    checkString(c, `${path}.protocol`, p.protocol, { oneOf: ["tcp", "udp", "sctp"] });
  });
  checkObjectList(c, "volumes", news.volumes, ["volumeName", "containerPath", "readOnly"], (v, path) => {
    if (required(c, `${path}.volumeName`, v.volumeName)) checkString(c, `${path}.volumeName`, v.volumeName);
    if (required(c, `${path}.containerPath`, v.containerPath)) {
      checkString(c, `${path}.containerPath`, v.containerPath, { pattern: ABSOLUTE_PATH });
    }
    checkBool(c, `${path}.readOnly`, v.readOnly);
  });
  checkUploads(c, news.uploads);
  checkHealthcheck(c, news.healthcheck);
  checkBool(c, "wait", news.wait);
  checkPositive(c, "waitTimeout", news.waitTimeout);
  checkInt(c, "memory", news.memory, 6);
  checkInt(c, "memorySwap", news.memorySwap, -1);
  if (typeof news.memorySwap === "number" && news.memorySwap > 0 && typeof news.memory === "number" && news.memorySwap < news.memory) {
    fail(c, `memorySwap (memory + swap, MB) must be at least memory (${news.memory}), got ${news.memorySwap}`);
  }
  checkString(c, "cpus", news.cpus, { pattern: CPUS });
  checkInt(c, "stopTimeout", news.stopTimeout, 0);
  checkInt(c, "destroyGraceSeconds", news.destroyGraceSeconds, 0);
  if (c.failures.length) return { inputs: news, failures: c.failures };
  return { inputs: withoutUndefined({ ...news, ...naming }) };
}

export { CONTAINER_KEYS, RESTART_POLICIES };
