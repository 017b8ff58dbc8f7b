/**
 * A small client for the Docker Engine API on node:http, over the engine's Unix socket (unix:///var/run/docker.sock)
 * or plain TCP (tcp://host:2375). Each operation connects with `connect`, which negotiates the API version: the
 * engine's own (GET /version -> ApiVersion), capped at MAX_API_VERSION, the newest version this client was checked
 * against; every later path is sent as /v<version>/....
 *
 * TLS (tcp with DOCKER_TLS_VERIFY, https://) and ssh:// hosts are not supported.
 */
import * as http from "node:http";
import { DEFAULT_DOCKER_HOST, DOCKER_HOST_ENV } from "./types";

/** Timing knobs. Plain data so that the providers serialize; unit tests shorten them. */
const dockerTiming = {
  /** Upper bound of one HTTP request. */
  requestTimeoutMs: 120_000,
  /** Pause between polls while waiting (health, tasks, removal). */
  pollMs: 1_000,
  /** How long deletes retry while the engine says the object is still in use. */
  busyRetryMs: 60_000,
  /**
   * How long a service must stay converged (the same tasks running) before it counts as converged, like the Docker
   * CLI's monitor: a task that crashes right after starting is "running" for a moment.
   */
  convergeStableMs: 5_000,
};

const MAX_API_VERSION = "1.41";
/** Swarm configs need 1.30. */
const MIN_API_VERSION = "1.30";

export interface DockerEndpoint {
  /** The host as given, e.g. unix:///var/run/docker.sock or tcp://127.0.0.1:2375 (for messages). */
  host: string;
  socketPath?: string;
  hostname?: string;
  port?: number;
}

export interface DockerClient {
  endpoint: DockerEndpoint;
  /** Negotiated API version, e.g. "1.41". */
  apiVersion: string;
}

export interface DockerResponse {
  status: number;
  body: Buffer;
  text: string;
  json: unknown;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, with `contentType`. */
  raw?: Buffer;
  contentType?: string;
  timeoutMs?: number;
}

/** The host to use: the one stored with the resource (from `Provider`), else DOCKER_HOST, else the local socket. */
export function resolveDockerHost(stored: unknown): string {
  if (typeof stored === "string" && stored.trim() !== "") return stored.trim();
  const env = process.env[DOCKER_HOST_ENV];
  return env && env.trim() !== "" ? env.trim() : DEFAULT_DOCKER_HOST;
}

/** Parses unix:///path, tcp://host:port and http://host:port (port defaults to 2375). */
export function parseDockerHost(raw: string): DockerEndpoint {
  const host = raw.trim();
  if (host.startsWith("unix://")) {
    const socketPath = host.slice("unix://".length);
    if (!socketPath.startsWith("/")) throw new Error(`Docker host ${JSON.stringify(host)} must be unix:///absolute/path`);
    return { host, socketPath };
  }
  const match = /^(tcp|http):\/\/\[?([^\]/:]+)\]?(?::(\d+))?\/?$/.exec(host);
  if (match) {
    if (match[1] === "tcp" && process.env.DOCKER_TLS_VERIFY && process.env.DOCKER_TLS_VERIFY !== "0") {
      throw new Error(`Docker host ${host}: TLS (DOCKER_TLS_VERIFY) is not supported by providers/docker-engine`);
    }
    return { host, hostname: match[2], port: match[3] ? Number(match[3]) : 2375 };
  }
  throw new Error(
    `Docker host ${JSON.stringify(host)} is not supported: use unix:///path/to/docker.sock, tcp://host:port or ` +
      `http://host:port (no TLS, no ssh)`,
  );
}

function queryString(query: RequestOptions["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** One HTTP request to the engine; resolves with any status, rejects on network errors and timeouts. */
export function httpRequest(
  endpoint: DockerEndpoint,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<DockerResponse> {
  const payload = options.raw ?? (options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body)));
  const headers: Record<string, string | number> = { Host: endpoint.socketPath ? "docker" : `${endpoint.hostname}` };
  if (payload) {
    headers["Content-Type"] = options.raw ? (options.contentType ?? "application/octet-stream") : "application/json";
    headers["Content-Length"] = payload.length;
  }
  const timeoutMs = options.timeoutMs ?? dockerTiming.requestTimeoutMs;
  const fullPath = path + queryString(options.query);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        method,
        path: fullPath,
        headers,
        ...(endpoint.socketPath ? { socketPath: endpoint.socketPath } : { hostname: endpoint.hostname, port: endpoint.port }),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const body = Buffer.concat(chunks);
          const text = body.toString("utf8");
          let json: unknown;
          if ((response.headers["content-type"] ?? "").includes("json") && text.trim() !== "") {
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
          }
          resolve({ status: response.statusCode ?? 0, body, text, json });
        });
      },
    );
    request.setTimeout(timeoutMs, () => {
      request.destroy(new Error(`no answer from the Docker engine at ${endpoint.host} to ${method} ${path} within ${timeoutMs} ms`));
    });
    request.on("error", (error: Error & { code?: string }) => {
      const detail = error.code ? `${error.code}: ${error.message}` : error.message;
      reject(new Error(`cannot reach the Docker engine at ${endpoint.host} (${method} ${path}): ${detail}`));
    });
    if (payload) request.write(payload);
    request.end();
  });
}

/** Negative, zero or positive as version a ("1.41") is below, equal to or above b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map((n) => parseInt(n, 10) || 0);
  const pb = b.split(".").map((n) => parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The engine's error message ({"message": ...}) or its body text. */
export function apiMessage(response: DockerResponse): string {
  const json = response.json as { message?: unknown } | undefined;
  if (json && typeof json.message === "string") return json.message;
  return response.text.trim().slice(0, 2000);
}

/** Connects to `host` (see resolveDockerHost) and negotiates the API version. */
export async function connect(storedHost: unknown): Promise<DockerClient> {
  const endpoint = parseDockerHost(resolveDockerHost(storedHost));
  const response = await httpRequest(endpoint, "GET", "/version", { timeoutMs: 30_000 });
  const json = response.json as { ApiVersion?: unknown } | undefined;
  if (response.status !== 200 || typeof json?.ApiVersion !== "string") {
    throw new Error(`the Docker engine at ${endpoint.host} answered HTTP ${response.status} to GET /version: ${apiMessage(response)}`);
  }
  const serverVersion = json.ApiVersion;
  if (compareVersions(serverVersion, MIN_API_VERSION) < 0) {
    throw new Error(`the Docker engine at ${endpoint.host} speaks API ${serverVersion}; at least ${MIN_API_VERSION} is needed`);
  }
  const apiVersion = compareVersions(serverVersion, MAX_API_VERSION) > 0 ? MAX_API_VERSION : serverVersion;
  return { endpoint, apiVersion };
}

/** A request to a versioned API path (`path` without the /v1.xx prefix). */
export function dockerRequest(
  client: DockerClient,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<DockerResponse> {
  return httpRequest(client.endpoint, method, `/v${client.apiVersion}${path}`, options);
}

/** The error for an answer the caller did not expect: "the Docker engine at X answered HTTP 409 to POST /p: msg". */
export function dockerError(client: DockerClient, method: string, path: string, response: DockerResponse): Error {
  return new Error(
    `the Docker engine at ${client.endpoint.host} answered HTTP ${response.status} to ${method} ${path}: ${apiMessage(response)}`,
  );
}

/** A request that must answer one of `ok` (default: any 2xx); anything else throws dockerError. */
export async function expectOk(
  client: DockerClient,
  method: string,
  path: string,
  options: RequestOptions = {},
  ok: readonly number[] = [],
): Promise<DockerResponse> {
  const response = await dockerRequest(client, method, path, options);
  const fine = ok.length ? ok.includes(response.status) : response.status >= 200 && response.status < 300;
  if (!fine) throw dockerError(client, method, path, response);
  return response;
}

/** GET that answers undefined on 404 (the object is gone) and the JSON otherwise. */
export async function inspectOrUndefined(client: DockerClient, path: string): Promise<Record<string, unknown> | undefined> {
  const response = await dockerRequest(client, "GET", path);
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw dockerError(client, "GET", path, response);
  return (response.json ?? {}) as Record<string, unknown>;
}

/**
 * DELETE that treats 404 as already gone and retries while the engine says the object is busy (in use by a
 * container or service that is still going away), for up to dockerTiming.busyRetryMs.
 */
export async function deleteWithRetry(client: DockerClient, path: string, query?: RequestOptions["query"]): Promise<void> {
  const deadline = Date.now() + dockerTiming.busyRetryMs;
  for (;;) {
    const response = await dockerRequest(client, "DELETE", path, { query });
    if (response.status === 404 || (response.status >= 200 && response.status < 300)) return;
    const busy = response.status === 409 || /in use|active endpoints|being used/i.test(apiMessage(response));
    if (!busy || Date.now() >= deadline) throw dockerError(client, "DELETE", path, response);
    await sleep(dockerTiming.pollMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export { dockerTiming, MAX_API_VERSION, MIN_API_VERSION };
