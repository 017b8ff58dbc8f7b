/**
 * Input validation of Service, with messages that name the field by its full path, e.g.
 * `taskSpec.containerSpec.configs[0].fileMode must be an integer from 0 to 511, got 4095`. Environment values are
 * never printed. Arguments of `@pulumi/docker`'s Service outside the supported subset fail as not supported.
 */
import type * as pulumi from "@pulumi/pulumi";
import { checkCommon, SWARM_NAME, withoutUndefined } from "./naming";
import { HIDDEN_INPUTS, RawInputs } from "./types";
import {
  Checker,
  checkBool,
  checkDuration,
  checkInt,
  checkLabels,
  checkObject,
  checkObjectList,
  checkString,
  checkStringList,
  checkStringMap,
  newChecker,
  required,
} from "./validate";

const SERVICE_KEYS: readonly string[] = ["name", "labels", "mode", "endpointSpec", "taskSpec", "updateConfig", "convergeConfig"];
const ABSOLUTE_PATH: readonly [RegExp, string] = [/^\/.*/, "an absolute path"];

function checkHealthcheck(c: Checker, path: string, value: unknown): void {
  const h = checkObject(c, path, value, ["tests", "interval", "timeout", "startPeriod", "retries"]);
  if (!h) return;
  if (required(c, `${path}.tests`, h.tests)) checkStringList(c, `${path}.tests`, h.tests);
  for (const key of ["interval", "timeout", "startPeriod"]) checkDuration(c, `${path}.${key}`, h[key]);
  checkInt(c, `${path}.retries`, h.retries, 0);
}

function checkFileRefs(c: Checker, path: string, value: unknown, kind: "config" | "secret"): void {
  checkObjectList(c, path, value, [`${kind}Id`, `${kind}Name`, "fileName", "fileMode"], (f, itemPath) => {
    if (required(c, `${itemPath}.${kind}Id`, f[`${kind}Id`])) checkString(c, `${itemPath}.${kind}Id`, f[`${kind}Id`]);
    checkString(c, `${itemPath}.${kind}Name`, f[`${kind}Name`]);
    if (required(c, `${itemPath}.fileName`, f.fileName)) checkString(c, `${itemPath}.fileName`, f.fileName, { nonEmpty: true });
    checkInt(c, `${itemPath}.fileMode`, f.fileMode, 0, 0o777);
  });
}

function checkContainerSpec(c: Checker, value: unknown): void {
  const p = "taskSpec.containerSpec";
  if (!required(c, p, value)) return;
  const s = checkObject(c, p, value, [
    "image", "hostname", "commands", "args", "env", "user", "labels", "mounts", "configs", "secrets", "healthcheck",
    "stopGracePeriod",
  ]);
  if (!s) return;
  if (required(c, `${p}.image`, s.image)) checkString(c, `${p}.image`, s.image, { nonEmpty: true });
  checkString(c, `${p}.hostname`, s.hostname);
  checkStringList(c, `${p}.commands`, s.commands);
  checkStringList(c, `${p}.args`, s.args);
  checkStringMap(c, `${p}.env`, s.env);
  checkString(c, `${p}.user`, s.user);
  checkLabels(c, `${p}.labels`, s.labels);
  checkObjectList(c, `${p}.mounts`, s.mounts, ["type", "source", "target", "readOnly"], (m, path) => {
    if (required(c, `${path}.type`, m.type)) checkString(c, `${path}.type`, m.type, { oneOf: ["volume", "bind", "tmpfs"] });
    checkString(c, `${path}.source`, m.source);
    if (required(c, `${path}.target`, m.target)) checkString(c, `${path}.target`, m.target, { pattern: ABSOLUTE_PATH });
    checkBool(c, `${path}.readOnly`, m.readOnly);
  });
  checkFileRefs(c, `${p}.configs`, s.configs, "config");
  checkFileRefs(c, `${p}.secrets`, s.secrets, "secret");
  checkHealthcheck(c, `${p}.healthcheck`, s.healthcheck);
  checkDuration(c, `${p}.stopGracePeriod`, s.stopGracePeriod);
}

function checkTaskSpec(c: Checker, value: unknown): void {
  if (!required(c, "taskSpec", value)) return;
  const t = checkObject(c, "taskSpec", value, ["containerSpec", "networksAdvanceds", "placement", "resources", "restartPolicy"]);
  if (!t) return;
  checkContainerSpec(c, t.containerSpec);
  checkObjectList(c, "taskSpec.networksAdvanceds", t.networksAdvanceds, ["name", "aliases"], (n, path) => {
    if (required(c, `${path}.name`, n.name)) checkString(c, `${path}.name`, n.name);
    checkStringList(c, `${path}.aliases`, n.aliases, { nonEmpty: true });
  });
  const placement = checkObject(c, "taskSpec.placement", t.placement, ["constraints", "maxReplicas"]);
  if (placement) {
    checkStringList(c, "taskSpec.placement.constraints", placement.constraints, { nonEmpty: true });
    checkInt(c, "taskSpec.placement.maxReplicas", placement.maxReplicas, 0);
  }
  const resources = checkObject(c, "taskSpec.resources", t.resources, ["limits"]);
  const limits = resources && checkObject(c, "taskSpec.resources.limits", resources.limits, ["nanoCpus", "memoryBytes"]);
  if (limits) {
    checkInt(c, "taskSpec.resources.limits.nanoCpus", limits.nanoCpus, 0);
    checkInt(c, "taskSpec.resources.limits.memoryBytes", limits.memoryBytes, 0);
  }
  const restart = checkObject(c, "taskSpec.restartPolicy", t.restartPolicy, ["condition", "delay", "window", "maxAttempts"]);
  if (restart) {
    checkString(c, "taskSpec.restartPolicy.condition", restart.condition, { oneOf: ["none", "on-failure", "any"] });
    checkDuration(c, "taskSpec.restartPolicy.delay", restart.delay);
    checkDuration(c, "taskSpec.restartPolicy.window", restart.window);
    checkInt(c, "taskSpec.restartPolicy.maxAttempts", restart.maxAttempts, 0);
  }
}

/** Validates a Service's inputs; fills in `name` (generated when not given). */
export async function serviceCheck(olds: RawInputs, news: RawInputs): Promise<pulumi.dynamic.CheckResult<RawInputs>> {
  const c = newChecker();
  checkObject(c, "", news, [...SERVICE_KEYS, ...HIDDEN_INPUTS, "__provider"]);
  const naming = checkCommon(c, olds, news, SWARM_NAME);
  checkLabels(c, "labels", news.labels);
  const mode = checkObject(c, "mode", news.mode, ["replicated"]);
  const replicated = mode && checkObject(c, "mode.replicated", mode.replicated, ["replicas"]);
  if (replicated) checkInt(c, "mode.replicated.replicas", replicated.replicas, 0);
  const endpoint = checkObject(c, "endpointSpec", news.endpointSpec, ["mode", "ports"]);
  if (endpoint) {
    checkString(c, "endpointSpec.mode", endpoint.mode, { oneOf: ["vip", "dnsrr"] });
    checkObjectList(c, "endpointSpec.ports", endpoint.ports, ["name", "targetPort", "publishedPort", "publishMode", "protocol"], (port, path) => {
      checkString(c, `${path}.name`, port.name);
      if (required(c, `${path}.targetPort`, port.targetPort)) checkInt(c, `${path}.targetPort`, port.targetPort, 1, 65535);
      checkInt(c, `${path}.publishedPort`, port.publishedPort, 1, 65535);
      checkString(c, `${path}.publishMode`, port.publishMode, { oneOf: ["ingress", "host"] });
      checkString(c, `${path}.protocol`, port.protocol, { oneOf: ["tcp", "udp", "sctp"] });
    });
  }
  checkTaskSpec(c, news.taskSpec);
  const update = checkObject(c, "updateConfig", news.updateConfig, ["parallelism", "order", "failureAction", "monitor", "delay"]);
  if (update) {
    checkInt(c, "updateConfig.parallelism", update.parallelism, 0);
    checkString(c, "updateConfig.order", update.order, { oneOf: ["stop-first", "start-first"] });
    checkString(c, "updateConfig.failureAction", update.failureAction, { oneOf: ["pause", "continue", "rollback"] });
    checkDuration(c, "updateConfig.monitor", update.monitor);
    checkDuration(c, "updateConfig.delay", update.delay);
  }
  const converge = checkObject(c, "convergeConfig", news.convergeConfig, ["delay", "timeout"]);
  if (converge) {
    checkDuration(c, "convergeConfig.delay", converge.delay);
    checkDuration(c, "convergeConfig.timeout", converge.timeout);
  }
  if (c.failures.length) return { inputs: news, failures: c.failures };
  return { inputs: withoutUndefined({ ...news, ...naming }) };
}

export { SERVICE_KEYS };
