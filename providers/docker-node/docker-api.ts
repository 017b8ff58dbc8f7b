/**
 * A minimal read-only client of one Docker engine's HTTP API, for the dynamic providers in this folder.
 *
 * Pulumi serializes dynamic providers with its closure serializer: this module uses only module-level functions and
 * Node's built-in `http` module (which the serializer re-requires) through ../http-get, no packages.
 */
import * as http from "http";
import { dockerEndpoint } from "../../model/docker-host";
import { getBody } from "../http-get";

/** GET a JSON document from the engine; rejects on a non-2xx answer, a network error or after `timeoutMs`. */
export function dockerGet(dockerHost: string, path: string, timeoutMs: number): Promise<unknown> {
  const endpoint = dockerEndpoint(dockerHost);
  const options = { ...endpoint, path, timeout: timeoutMs, headers: { Accept: "application/json" } };
  return getBody((onResponse) => http.get(options, onResponse), `GET ${path} on ${dockerHost}`, timeoutMs, true);
}

/** Names of the containers, running or not, that carry `label=value` on that engine. */
export async function containersLabelled(dockerHost: string, label: string, value: string, timeoutMs: number): Promise<string[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`${label}=${value}`] }));
  const listed = await dockerGet(dockerHost, `/containers/json?all=1&filters=${filters}`, timeoutMs);
  if (!Array.isArray(listed)) throw new Error(`container list from ${dockerHost} is not an array`);
  return listed.map((c: { Names?: string[]; Id?: string }) => (c.Names?.[0] ?? c.Id ?? "?").replace(/^\//, ""));
}
