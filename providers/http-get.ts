/**
 * One GET for the dynamic providers (a Docker engine's API, a Kubernetes API server): the body as text, or parsed
 * as JSON; rejects on a non-2xx answer, a network error or after the timeout, naming what was asked of whom.
 *
 * Only Node's built-in modules: Pulumi's closure serializer re-requires them in the provider host.
 */
import type * as http from "http";

/** Starts the request with `start` (http.get or https.get with its options) and reads its answer. */
export function getBody(
  start: (onResponse: (response: http.IncomingMessage) => void) => http.ClientRequest,
  what: string,
  timeoutMs: number,
  json: boolean,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = start((response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const status = response.statusCode ?? 0;
        if (status < 200 || status >= 300) return reject(new Error(`${what} answered ${status}: ${body.trim().slice(0, 300)}`));
        if (!json) return resolve(body);
        try {
          resolve(JSON.parse(body));
        } catch {
          reject(new Error(`${what} answered with invalid JSON`));
        }
      });
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`${what} took longer than ${timeoutMs} ms`)));
    request.on("error", reject);
  });
}
