/**
 * A small client for Kafka Connect's REST API on Node's global `fetch`, with per-request timeouts and retries with
 * backoff for the answers Connect gives while it is starting or rebalancing.
 *
 * Retried until the operation's deadline: connection errors (refused, reset, DNS, per-request timeout), 409 (rebalance
 * in progress / stale config), 429, 502, 503, 504, and 500 whose message says the request timed out or could not be
 * forwarded to the leader. Callers add 404 where it means "not there yet" (a just-created connector).
 */
import { ConnectorInfo, ConnectorStatus, StringMap, TaskStatus } from "./types";

/** Timing knobs. Plain data so that the provider serializes; unit tests shorten them. */
const connectTiming = {
  /** Upper bound of one HTTP request (Connect's own REST timeout is 90 s; we would rather retry). */
  requestTimeoutMs: 30_000,
  /** First pause between retries; doubles up to `maxBackoffMs`. */
  initialBackoffMs: 250,
  maxBackoffMs: 3_000,
  /**
   * How long a FAILED connector/task must stay FAILED before waiting gives up early. Right after a config change or a
   * restart, the status endpoint can still show the previous generation's FAILED tasks for a moment.
   */
  failedGraceMs: 5_000,
};

/** Where Connect is, without any credentials in the URL (they go to the Authorization header). */
export interface ConnectEndpoint {
  /** e.g. http://127.0.0.1:8083 (no trailing slash, no user:password). */
  baseUrl: string;
  authorization?: string;
}

/** One operation's budget: all its requests and retries share the deadline. */
export interface OperationContext {
  endpoint: ConnectEndpoint;
  /** Epoch milliseconds. */
  deadline: number;
  /** The budget in seconds, for messages. */
  timeoutSeconds: number;
}

export interface HttpResponse {
  status: number;
  text: string;
  json: unknown;
}

/** Parses and checks a Connect base URL; user:password in the URL becomes HTTP basic auth. */
export function parseConnectUrl(raw: string): ConnectEndpoint {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`connectUrl must be an http:// or https:// URL, got ${JSON.stringify(stripCredentials(raw))}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`connectUrl must be an http:// or https:// URL, got ${JSON.stringify(stripCredentials(raw))}`);
  }
  let authorization: string | undefined;
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    authorization = "Basic " + Buffer.from(`${user}:${password}`).toString("base64");
    url.username = "";
    url.password = "";
  }
  url.search = "";
  url.hash = "";
  return { baseUrl: url.toString().replace(/\/+$/, ""), authorization };
}

/** The URL with any user:password replaced, for messages. */
export function stripCredentials(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1[credentials]@");
}

/** Builds the context of one operation from its URL and its timeout. */
export function operationContext(connectUrl: string, timeoutSeconds: number): OperationContext {
  return {
    endpoint: parseConnectUrl(connectUrl),
    deadline: Date.now() + timeoutSeconds * 1000,
    timeoutSeconds,
  };
}

/** `/connectors/{name}{suffix}` with the name escaped. */
export function connectorPath(name: string, suffix = ""): string {
  return `/connectors/${encodeURIComponent(name)}${suffix}`;
}

/** One HTTP request with a timeout; throws only on network errors and timeouts. */
export async function httpRequest(
  endpoint: ConnectEndpoint,
  method: string,
  path: string,
  body: unknown,
  timeoutMs: number,
): Promise<HttpResponse> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (endpoint.authorization) headers["Authorization"] = endpoint.authorization;
  const response = await fetch(endpoint.baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(Math.max(1, Math.floor(timeoutMs))),
  });
  const text = await response.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: response.status, text, json };
}

/** Connect's error message from a response (`{"error_code":409,"message":"..."}`), else the start of the body. */
export function responseMessage(response: HttpResponse): string {
  const json = response.json;
  if (json && typeof json === "object" && typeof (json as { message?: unknown }).message === "string") {
    return (json as { message: string }).message;
  }
  const text = response.text.trim();
  return text.length > 300 ? text.slice(0, 300) + "..." : text;
}

/** A network-level failure in words: "connection refused (ECONNREFUSED)", "no answer within 30000 ms", ... */
export function describeNetworkError(error: unknown): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
  if (err?.name === "TimeoutError" || err?.name === "AbortError") return "no answer before the request timeout";
  const code = err?.cause?.code;
  if (code === "ECONNREFUSED") return "connection refused (ECONNREFUSED)";
  if (code === "ECONNRESET") return "connection reset (ECONNRESET)";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `host not found (${code})`;
  if (code) return `${err?.cause?.message ?? "network error"} (${code})`;
  return err?.cause?.message ?? err?.message ?? String(error);
}

/** Whether Connect's answer means "try again shortly". */
export function isRetryableStatus(response: HttpResponse, extra: readonly number[] = []): boolean {
  const s = response.status;
  if (extra.includes(s)) return true;
  if (s === 409 || s === 429 || s === 502 || s === 503 || s === 504) return true;
  if (s === 500) return /timed out|forward|rebalanc|starting/i.test(responseMessage(response));
  return false;
}

/** Pause before retry number `attempt` (0-based): exponential with jitter, never past the deadline. */
export function backoffMs(attempt: number, deadline: number): number {
  const base = Math.min(connectTiming.maxBackoffMs, connectTiming.initialBackoffMs * 2 ** Math.min(attempt, 20));
  const jittered = base * (0.75 + Math.random() * 0.5);
  return Math.max(0, Math.min(jittered, deadline - Date.now()));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Thrown when Connect answers something that retrying will not fix. */
export function unexpectedResponse(endpoint: ConnectEndpoint, method: string, path: string, response: HttpResponse) {
  return new Error(
    `Kafka Connect at ${endpoint.baseUrl} answered HTTP ${response.status} to ${method} ${path}: ${responseMessage(response)}`,
  );
}

/**
 * Sends a request, retrying network errors and retryable statuses (plus `retryStatuses`) with backoff until the
 * context's deadline. Returns the first non-retryable response, whatever its status.
 */
export async function requestWithRetry(
  ctx: OperationContext,
  method: string,
  path: string,
  body?: unknown,
  retryStatuses: readonly number[] = [],
): Promise<HttpResponse> {
  let last = "no attempt was made";
  for (let attempt = 0; ; attempt++) {
    const remaining = ctx.deadline - Date.now();
    if (remaining <= 0) {
      throw new Error(
        `Kafka Connect at ${ctx.endpoint.baseUrl} did not answer ${method} ${path} within ${ctx.timeoutSeconds}s ` +
          `(${attempt} attempt(s)); last result: ${last}`,
      );
    }
    try {
      const response = await httpRequest(ctx.endpoint, method, path, body, Math.min(connectTiming.requestTimeoutMs, remaining));
      if (!isRetryableStatus(response, retryStatuses)) return response;
      last = `HTTP ${response.status} ${responseMessage(response)}`.trim();
    } catch (error) {
      last = describeNetworkError(error);
    }
    await sleep(backoffMs(attempt, ctx.deadline));
  }
}

function asStringMap(value: unknown): StringMap {
  const out: StringMap = {};
  if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      out[key] = typeof v === "string" ? v : JSON.stringify(v);
    }
  }
  return out;
}

/** Parses `GET /connectors/{name}/status` leniently (missing fields become empty). */
export function parseStatus(json: unknown, name: string): ConnectorStatus {
  const obj = (json && typeof json === "object" ? json : {}) as Record<string, unknown>;
  const connector = (obj.connector && typeof obj.connector === "object" ? obj.connector : {}) as Record<string, unknown>;
  const tasks: TaskStatus[] = Array.isArray(obj.tasks)
    ? (obj.tasks as unknown[]).map((t, index) => {
        const task = (t && typeof t === "object" ? t : {}) as Record<string, unknown>;
        const status: TaskStatus = {
          id: typeof task.id === "number" ? task.id : index,
          state: typeof task.state === "string" ? task.state : "UNKNOWN",
        };
        if (typeof task.worker_id === "string") status.worker_id = task.worker_id;
        if (typeof task.trace === "string") status.trace = task.trace;
        return status;
      })
    : [];
  tasks.sort((a, b) => a.id - b.id);
  const status: ConnectorStatus = {
    name: typeof obj.name === "string" ? obj.name : name,
    connector: { state: typeof connector.state === "string" ? connector.state : "UNKNOWN" },
    tasks,
  };
  if (typeof connector.worker_id === "string") status.connector.worker_id = connector.worker_id;
  if (typeof connector.trace === "string") status.connector.trace = connector.trace;
  if (typeof obj.type === "string") status.type = obj.type;
  return status;
}

function parseInfo(json: unknown, name: string): ConnectorInfo {
  const obj = (json && typeof json === "object" ? json : {}) as Record<string, unknown>;
  const info: ConnectorInfo = {
    name: typeof obj.name === "string" ? obj.name : name,
    config: asStringMap(obj.config),
    tasks: Array.isArray(obj.tasks) ? (obj.tasks as ConnectorInfo["tasks"]) : [],
  };
  if (typeof obj.type === "string") info.type = obj.type;
  return info;
}

/** `GET /connectors/{name}`; undefined when Connect answers 404. */
export async function getConnector(ctx: OperationContext, name: string): Promise<ConnectorInfo | undefined> {
  const path = connectorPath(name);
  const response = await requestWithRetry(ctx, "GET", path);
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw unexpectedResponse(ctx.endpoint, "GET", path, response);
  return parseInfo(response.json, name);
}

/** `GET /connectors/{name}/status`; undefined when Connect answers 404. */
export async function getConnectorStatus(ctx: OperationContext, name: string): Promise<ConnectorStatus | undefined> {
  const path = connectorPath(name, "/status");
  const response = await requestWithRetry(ctx, "GET", path);
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw unexpectedResponse(ctx.endpoint, "GET", path, response);
  return parseStatus(response.json, name);
}

/**
 * `PUT /connectors/{name}/config` (create or replace the whole config). 404 is retried too: a Connect worker whose
 * REST server is up before its resources are registered answers 404 for a moment. 400 (invalid config) is final.
 */
export async function putConnectorConfig(ctx: OperationContext, name: string, config: StringMap): Promise<ConnectorInfo> {
  const path = connectorPath(name, "/config");
  const response = await requestWithRetry(ctx, "PUT", path, config, [404]);
  if (response.status !== 200 && response.status !== 201) {
    throw unexpectedResponse(ctx.endpoint, "PUT", path, response);
  }
  return parseInfo(response.json, name);
}

/** `DELETE /connectors/{name}`; returns false when it was already gone (404). */
export async function deleteConnector(ctx: OperationContext, name: string): Promise<boolean> {
  const path = connectorPath(name);
  const response = await requestWithRetry(ctx, "DELETE", path);
  if (response.status === 404) return false;
  if (response.status < 200 || response.status >= 300) throw unexpectedResponse(ctx.endpoint, "DELETE", path, response);
  return true;
}

/** `POST /connectors/{name}/restart` or `POST /connectors/{name}/tasks/{id}/restart`; 404 is ignored. */
export async function restart(ctx: OperationContext, name: string, taskId?: number): Promise<void> {
  const path = connectorPath(name, taskId === undefined ? "/restart" : `/tasks/${taskId}/restart`);
  const response = await requestWithRetry(ctx, "POST", path);
  if (response.status === 404) return;
  if (response.status < 200 || response.status >= 300) throw unexpectedResponse(ctx.endpoint, "POST", path, response);
}

/** `PUT /connectors/{name}/resume`: back to RUNNING from PAUSED or STOPPED (202 Accepted). */
export async function resume(ctx: OperationContext, name: string): Promise<void> {
  const path = connectorPath(name, "/resume");
  const response = await requestWithRetry(ctx, "PUT", path);
  if (response.status < 200 || response.status >= 300) throw unexpectedResponse(ctx.endpoint, "PUT", path, response);
}

// Exported by name (not `export const`) so that the functions above refer to the constant itself rather than to
// `exports.X`, which would make closure serialization capture this whole module object.
export { connectTiming };
