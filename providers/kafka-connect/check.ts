/**
 * Input validation for the Connector resource. Every failure's reason names the field exactly, e.g.
 * `config["connector.class"] is required`. Values unknown during preview are accepted as they are.
 *
 * Failures are returned with an empty `property`: the Pulumi engine prints `inputs[property]` next to a named
 * property, which would print whole config maps (and cannot address nested keys); the reason names the field instead.
 */
import { stripCredentials } from "./rest-client";
import { DEFAULT_READY_TIMEOUT_SECONDS, RawInputs, StringMap, UNKNOWN_VALUE } from "./types";

export interface CheckFailureEntry {
  property: string;
  reason: string;
}

export interface ConnectorCheckResult {
  /** Normalized inputs (defaults filled in, `config["name"]` dropped); only when there are no failures. */
  inputs?: RawInputs;
  failures: CheckFailureEntry[];
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function checkMap(field: "config" | "secretConfig", value: unknown, failures: CheckFailureEntry[]): StringMap | "unknown" | undefined {
  if (value === UNKNOWN_VALUE) return "unknown";
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    failures.push({ property: "", reason: `${field} must be an object of string values, got ${typeName(value)}` });
    return undefined;
  }
  const out: StringMap = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const path = `${field}[${JSON.stringify(key)}]`;
    if (key.trim() === "") {
      failures.push({ property: "", reason: `${field} has an empty key` });
    } else if (typeof v !== "string") {
      // The type only, never the value: it may be a secret.
      failures.push({ property: "", reason: `${path} must be a string, got ${typeName(v)}` });
    } else {
      out[key] = v;
    }
  }
  return out;
}

/** Validates and normalizes the Connector's inputs. */
export function checkConnectorInputs(news: RawInputs): ConnectorCheckResult {
  const failures: CheckFailureEntry[] = [];
  const fail = (reason: string) => failures.push({ property: "", reason });

  // connectUrl
  const connectUrl = news.connectUrl;
  if (connectUrl === undefined || connectUrl === null || connectUrl === "") {
    fail("connectUrl is required");
  } else if (typeof connectUrl !== "string") {
    fail(`connectUrl must be a string, got ${typeName(connectUrl)}`);
  } else if (connectUrl !== UNKNOWN_VALUE && !/^https?:\/\/[^/?#\s]+/i.test(connectUrl)) {
    fail(`connectUrl must be an http:// or https:// URL, got ${JSON.stringify(stripCredentials(connectUrl))}`);
  }

  // name
  const name = news.name;
  if (name === undefined || name === null || name === "") {
    fail("name is required");
  } else if (typeof name !== "string") {
    fail(`name must be a string, got ${typeName(name)}`);
  } else if (name !== UNKNOWN_VALUE) {
    if (name.trim() !== name) fail(`name must not start or end with whitespace, got ${JSON.stringify(name)}`);
    // Control characters are exactly what this rejects: a name goes into URL paths and log lines.
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(name)) fail(`name must not contain control characters`);
  }

  // config
  let config: StringMap | "unknown" | undefined;
  if (news.config === undefined || news.config === null) {
    fail("config is required");
  } else {
    config = checkMap("config", news.config, failures);
  }
  if (config && config !== "unknown") {
    const cls = config["connector.class"];
    if (cls === undefined || cls.trim() === "") fail(`config["connector.class"] is required`);
    if (Object.prototype.hasOwnProperty.call(config, "name")) {
      if (typeof name === "string" && name !== UNKNOWN_VALUE && config.name !== UNKNOWN_VALUE && config.name !== name) {
        fail(`config["name"] must equal name (${JSON.stringify(name)}) if set, got ${JSON.stringify(config.name)}`);
      } else {
        // Connect sets config.name itself; keeping it out of our config avoids drift on refresh.
        const rest: StringMap = { ...config };
        delete rest.name;
        config = rest;
      }
    }
  }

  // secretConfig
  const secretConfig = checkMap("secretConfig", news.secretConfig, failures);
  if (secretConfig && secretConfig !== "unknown") {
    for (const key of Object.keys(secretConfig)) {
      if (key === "name" || key === "connector.class") {
        fail(`secretConfig[${JSON.stringify(key)}] is not allowed; put it in config`);
      } else if (config && config !== "unknown" && Object.prototype.hasOwnProperty.call(config, key)) {
        fail(`secretConfig[${JSON.stringify(key)}] is also set in config; set each key in only one of them`);
      }
    }
  }

  // readyTimeoutSeconds
  let readyTimeoutSeconds: unknown = news.readyTimeoutSeconds;
  if (readyTimeoutSeconds === undefined || readyTimeoutSeconds === null) {
    readyTimeoutSeconds = DEFAULT_READY_TIMEOUT_SECONDS;
  } else if (readyTimeoutSeconds !== UNKNOWN_VALUE) {
    if (typeof readyTimeoutSeconds !== "number" || !Number.isFinite(readyTimeoutSeconds) || readyTimeoutSeconds <= 0) {
      const got = typeof readyTimeoutSeconds === "number" ? String(readyTimeoutSeconds) : typeName(readyTimeoutSeconds);
      fail(`readyTimeoutSeconds must be a positive number of seconds, got ${got}`);
    }
  }

  // runState: the program only ever asks for RUNNING (a paused or stopped connector is drift, see types.ts)
  const runState = news.runState ?? "RUNNING";
  if (runState !== "RUNNING" && runState !== UNKNOWN_VALUE) fail(`runState must be "RUNNING", got ${JSON.stringify(runState)}`);

  if (failures.length) return { failures };
  const inputs: RawInputs = {
    ...news,
    connectUrl,
    name,
    config: config === "unknown" ? UNKNOWN_VALUE : config,
    secretConfig: secretConfig === "unknown" ? UNKNOWN_VALUE : (secretConfig ?? {}),
    readyTimeoutSeconds,
    runState,
  };
  return { inputs, failures };
}
