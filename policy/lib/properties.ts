import { type ResourceView, types } from "./resources";
import { asArray, asObject, asString, at } from "./values";

/** A Java properties file the program places in a container, and where the policy found it. */
export interface PropertiesFile {
  readonly resource: ResourceView;
  /** Input field that carries it, for messages. */
  readonly field: string;
  readonly values: Readonly<Record<string, string>>;
}

/** Java `.properties` text as a map (the subset the program renders: `key=value` lines, `#` comments). */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    const m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (m !== null) out[m[1]] = m[2];
  }
  return out;
}

const looksLikeProperties = (text: string) => /^[a-z][\w.-]*=/m.test(text);

/**
 * Every properties file in the stack, whichever target placed it: a docker container's `uploads`, a swarm
 * config's base64 `data`, a Kubernetes ConfigMap's `data`. Values unknown during a preview are skipped.
 */
export function propertiesFiles(resources: readonly ResourceView[]): PropertiesFile[] {
  const files: PropertiesFile[] = [];
  const add = (resource: ResourceView, field: string, text: string | undefined) => {
    if (text !== undefined && looksLikeProperties(text)) files.push({ resource, field, values: parseProperties(text) });
  };
  for (const r of resources) {
    if (r.type === types.dockerContainer) {
      asArray(r.props.uploads).forEach((u, i) => {
        if (asString(at(u, "file"))?.endsWith(".properties")) add(r, `uploads[${i}].content`, asString(at(u, "content")));
      });
    } else if (r.type === types.dockerServiceConfig) {
      const data = asString(r.props.data);
      if (data !== undefined) add(r, "data", Buffer.from(data, "base64").toString("utf8"));
    } else if (r.type === types.k8sConfigMap) {
      for (const [key, value] of Object.entries(asObject(r.props.data) ?? {}))
        if (key.endsWith(".properties")) add(r, `data["${key}"]`, asString(value));
    }
  }
  return files;
}

/** A Kafka node's server.properties (KRaft). */
export const isKafkaServer = (f: PropertiesFile): boolean => "process.roles" in f.values;
export const isKafkaBroker = (f: PropertiesFile): boolean => isKafkaServer(f) && f.values["process.roles"].split(",").includes("broker");
/** A distributed Kafka Connect worker's config. */
export const isConnectWorker = (f: PropertiesFile): boolean => "config.storage.topic" in f.values && "group.id" in f.values;
