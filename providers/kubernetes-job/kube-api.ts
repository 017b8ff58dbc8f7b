/**
 * A minimal read-only client of a Kubernetes API server, for the dynamic provider in this folder: it reads the
 * kubeconfig the kubernetes provider reads (the given text, else $KUBECONFIG's first file, else ~/.kube/config) and
 * GETs with its client certificate or bearer token.
 *
 * Why not @kubernetes/client-node: since 1.0 it is an ES module only, which a dynamic provider (serialized by
 * Pulumi's closure serializer and loaded with `require` by the provider host on Node 20) cannot load; the last
 * CommonJS line depends on the deprecated `request`. Only Node's `https`/`http`, `fs` and js-yaml are used here.
 */
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { load as loadYaml } from "js-yaml";
import { getBody } from "../http-get";

/** What a GET needs: where, and with which credentials. */
export interface KubeEndpoint {
  readonly server: string;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly token?: string;
  readonly insecure: boolean;
  /** Where it came from, for messages. */
  readonly source: string;
}

interface Named<T> {
  name: string;
  [k: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}
interface KubeconfigDoc {
  "current-context"?: string;
  clusters?: Named<Record<string, unknown>>[];
  users?: Named<Record<string, unknown>>[];
  contexts?: Named<Record<string, unknown>>[];
}

/** The kubeconfig text and where it was read: the given text (or file), else $KUBECONFIG's first existing file, else ~/.kube/config. */
export function kubeconfigText(given?: string): { text: string; source: string } {
  // Like the kubernetes provider's `kubeconfig` setting: the text itself or the path of a file.
  if (given && !given.includes("\n") && fs.existsSync(given)) return { text: fs.readFileSync(given, "utf8"), source: given };
  if (given) return { text: given, source: "the given kubeconfig" };
  const candidates = (process.env.KUBECONFIG ?? "").split(path.delimiter).filter(Boolean);
  candidates.push(path.join(os.homedir(), ".kube", "config"));
  for (const file of candidates) {
    if (fs.existsSync(file)) return { text: fs.readFileSync(file, "utf8"), source: file };
  }
  throw new Error(`no kubeconfig found (looked at $KUBECONFIG and ${candidates[candidates.length - 1]})`);
}

/** The endpoint of a context (the current one by default) of a kubeconfig; relative file paths are from its folder. */
export function endpointOf(text: string, source: string, contextName?: string): KubeEndpoint {
  const doc = (loadYaml(text) ?? {}) as KubeconfigDoc;
  const name = contextName || doc["current-context"];
  const find = <T>(list: Named<T>[] | undefined, n: string | undefined, what: string): T => {
    const entry = list?.find((e) => e.name === n);
    const value = entry?.[what as "cluster"];
    if (!entry || value === undefined) throw new Error(`${source}: no ${what} named "${n ?? ""}"`);
    return value;
  };
  const context = find(doc.contexts, name, "context") as { cluster?: string; user?: string };
  const cluster = find(doc.clusters, context.cluster, "cluster") as Record<string, string | boolean | undefined>;
  const user = (context.user ? find(doc.users, context.user, "user") : {}) as Record<string, unknown>;
  if (user.exec !== undefined || user["auth-provider"] !== undefined) {
    throw new Error(
      `${source}: user "${context.user}" authenticates with an exec or auth-provider plugin, which this reader does not run; use a client certificate or a token`,
    );
  }
  const dir = fs.existsSync(source) ? path.dirname(source) : process.cwd();
  const bytes = (data: unknown, file: unknown): Buffer | undefined =>
    typeof data === "string"
      ? Buffer.from(data, "base64")
      : typeof file === "string"
        ? fs.readFileSync(path.resolve(dir, file))
        : undefined;
  const tokenFile = typeof user.tokenFile === "string" ? fs.readFileSync(path.resolve(dir, user.tokenFile), "utf8").trim() : undefined;
  if (typeof cluster.server !== "string") throw new Error(`${source}: cluster "${context.cluster}" has no server`);
  return {
    server: cluster.server.replace(/\/+$/, ""),
    ca: bytes(cluster["certificate-authority-data"], cluster["certificate-authority"]),
    cert: bytes(user["client-certificate-data"], user["client-certificate"]),
    key: bytes(user["client-key-data"], user["client-key"]),
    token: typeof user.token === "string" ? user.token : tokenFile,
    insecure: cluster["insecure-skip-tls-verify"] === true,
    source,
  };
}

/** GET a path of the API server; JSON parsed unless `raw`. Rejects on a non-2xx answer, a network error or after `timeoutMs`. */
export function kubeGet(endpoint: KubeEndpoint, apiPath: string, timeoutMs: number, raw = false): Promise<unknown> {
  const url = new URL(endpoint.server + apiPath);
  const client = url.protocol === "https:" ? https : http;
  const options: https.RequestOptions = {
    timeout: timeoutMs,
    ca: endpoint.ca,
    cert: endpoint.cert,
    key: endpoint.key,
    rejectUnauthorized: !endpoint.insecure,
    headers: { Accept: raw ? "*/*" : "application/json", ...(endpoint.token ? { Authorization: `Bearer ${endpoint.token}` } : {}) },
  };
  return getBody((onResponse) => client.get(url, options, onResponse), `GET ${apiPath} on ${endpoint.server}`, timeoutMs, !raw);
}
