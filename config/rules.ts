import type { ConfigIssue } from "./issues";
import { unpinnedReason } from "../model/image-reference";
import { nodesMatching } from "../model/placement";
import type { ParsedPlatformConfig, TargetSection } from "./schema";
import { enabledServices, type ImagesByRole, placements, publishedPorts, services } from "./services";

/**
 * Cross-field rules that hold on every target: what a single field's schema cannot say. Each rule returns
 * every issue it finds, so a user sees all problems of a stack at once. A target's own rules live with it.
 */
type Rule = (cfg: ParsedPlatformConfig, images: ImagesByRole) => ConfigIssue[];

/** What validation needs of a target: its section, and the rules only it has. */
export interface TargetConfigPart extends TargetSection {
  /** Issues of this target's own; `settings` is its section as its schema parsed it (`undefined` without one). */
  check(settings: unknown, cfg: ParsedPlatformConfig, images: ImagesByRole): ConfigIssue[];
}

const describeLabels = (labels: Readonly<Record<string, string>>) =>
  "{" +
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ") +
  "}";

const kraftQuorum: Rule = (cfg) => {
  const issues: ConfigIssue[] = [];
  const dedicated = cfg.kafka.controllers > 0;
  const key = dedicated ? "kafka.controllers" : "kafka.brokers";
  const voters = dedicated ? cfg.kafka.controllers : cfg.kafka.brokers;
  if (voters % 2 === 0) {
    issues.push({
      key,
      message: dedicated
        ? `a KRaft controller quorum must have an odd number of voters (1, 3, 5, ...); got ${voters}`
        : `with kafka.controllers = 0 every broker is a KRaft voter, so the broker count must be odd (1, 3, 5, ...) or dedicated controllers set; got ${voters}`,
    });
  }
  if (cfg.nodes.length > 0) {
    const placementKey = dedicated ? "kafka.controllerPlacement" : "kafka.brokerPlacement";
    const hosts = nodesMatching(cfg.nodes, dedicated ? cfg.kafka.controllerPlacement : cfg.kafka.brokerPlacement);
    if (voters > hosts.length) {
      issues.push({
        key,
        message: `${voters} KRaft voters need as many nodes matching ${placementKey}, one voter per node, but only ${hosts.length} declared node(s) match${hosts.length ? ` (${hosts.map((n) => n.name).join(", ")})` : ""}`,
      });
    }
  }
  return issues;
};

const replication: Rule = (cfg) => {
  const issues: ConfigIssue[] = [];
  const brokers = cfg.kafka.brokers;
  const above = (key: string, value: number) =>
    issues.push({ key, message: `must not exceed the broker count (kafka.brokers = ${brokers}); got ${value}` });
  if (cfg.kafka.defaultReplicationFactor > brokers) above("kafka.defaultReplicationFactor", cfg.kafka.defaultReplicationFactor);
  if (cfg.kafka.minInsyncReplicas > brokers) above("kafka.minInsyncReplicas", cfg.kafka.minInsyncReplicas);
  else if (cfg.kafka.minInsyncReplicas > cfg.kafka.defaultReplicationFactor) {
    issues.push({
      key: "kafka.minInsyncReplicas",
      message: `must not exceed kafka.defaultReplicationFactor (${cfg.kafka.defaultReplicationFactor}), or no write could ever be acknowledged; got ${cfg.kafka.minInsyncReplicas}`,
    });
  }
  if (cfg.kafkaConnect.internalTopicReplicationFactor > brokers) {
    above("kafkaConnect.internalTopicReplicationFactor", cfg.kafkaConnect.internalTopicReplicationFactor);
  }
  return issues;
};

const uniquePorts: Rule = (cfg) => {
  const issues: ConfigIssue[] = [];
  const owner = new Map<number, string>();
  for (const [key, port] of publishedPorts(cfg)) {
    const first = owner.get(port);
    if (first === undefined) owner.set(port, key);
    else {
      issues.push({
        key: key.split(" ")[0],
        message: `host port ${port} is already published by ${first}; published ports must be unique across all services`,
      });
    }
  }
  return issues;
};

const benchmark: Rule = (cfg) => {
  const b = cfg.benchmark;
  if (!b.enabled) return [];
  const issues: ConfigIssue[] = [];
  if (cfg.spark.workers.count === 0) {
    issues.push({
      key: "spark.workers.count",
      message: "benchmark.enabled needs at least one Spark worker for its cluster-mode run; got 0",
    });
  }
  const repeated = b.sizesMb.filter((size, i) => b.sizesMb.indexOf(size) !== i);
  if (repeated.length > 0)
    issues.push({ key: "benchmark.sizesMb", message: `each size may appear once; repeated: ${[...new Set(repeated)].join(", ")}` });
  return issues;
};

/** Every size a service is given must fit each declared node it can land on (a node's cpus and memoryMb, where set). */
const nodeSizes: Rule = (cfg) => {
  const found = new Map<string, ConfigIssue>();
  for (const { labels, figures } of services.flatMap((s) => (s.enabled(cfg) ? s.footprints(cfg) : []))) {
    for (const node of nodesMatching(cfg.nodes, labels)) {
      for (const f of figures) {
        const capacity = f.resource === "cpus" ? node.cpus : node.memoryMb;
        if (capacity === undefined || f.value <= capacity) continue;
        const message = `${f.value} ${f.unit} exceed node '${node.name}' (${capacity} ${f.resource === "cpus" ? "cpus" : "MB"} in nodes)`;
        found.set(`${f.key} ${message}`, { key: f.key, message });
      }
    }
  }
  return [...found.values()];
};

/** A JVM needs memory beyond its heap: a heap as large as the container's limit gets the process killed. */
const heapWithinLimit: Rule = (cfg) =>
  (
    [
      ["kafka", cfg.kafka.heapMb, cfg.kafka.resources.memoryMb],
      ["kafkaConnect", cfg.kafkaConnect.heapMb, cfg.kafkaConnect.resources.memoryMb],
    ] as const
  )
    .filter(([, heap, limit]) => limit !== undefined && heap >= limit)
    .map(([section, heap, limit]) => ({
      key: `${section}.heapMb`,
      message: `${heap} MB of heap do not fit in ${section}.resources.memoryMb (${limit} MB), which also holds the JVM's own memory; lower the heap or raise the limit`,
    }));

const connectPlugins: Rule = (cfg) => {
  const issues: ConfigIssue[] = [];
  const plugins = cfg.kafkaConnect.plugins;
  const missing = (key: string, what: string, plugin: string) =>
    issues.push({
      key,
      message: `${what} needs the '${plugin}' plugin, but kafkaConnect.plugins (${JSON.stringify(plugins)}) does not list it; use a Connect image that carries it on plugin.path and list it there`,
    });
  if (cfg.connectors.fileSink.enabled && !plugins.includes("file")) {
    missing("connectors.fileSink.enabled", "the file sink (FileStreamSinkConnector)", "file");
  }
  const source = cfg.connectors.source;
  if (source.enabled && !plugins.includes(source.kind))
    missing("connectors.source.kind", `the '${source.kind}' source connector`, source.kind);
  const anyConnector = source.enabled || cfg.connectors.fileSink.enabled;
  if (anyConnector && cfg.kafkaConnect.restPort === null && cfg.kafkaConnect.adminUrl === undefined) {
    issues.push({
      key: "kafkaConnect.restPort",
      message:
        "connectors are managed through the Connect REST API from where `pulumi` runs: publish it (a port number) or set kafkaConnect.adminUrl",
    });
  }
  return issues;
};

const placementLabels: Rule = (cfg) => {
  if (cfg.nodes.length === 0) return [];
  const declared = cfg.nodes.map((n) => `${n.name} ${describeLabels(n.labels)}`).join("; ");
  return placements(cfg)
    .filter(([, labels]) => Object.keys(labels).length > 0 && nodesMatching(cfg.nodes, labels).length === 0)
    .map(([key, labels]) => ({
      key,
      message: `no node declared in nodes has the labels ${describeLabels(labels)}; declared: ${declared}`,
    }));
};

const uniqueNodes: Rule = (cfg) => {
  const seen = new Set<string>();
  return cfg.nodes.flatMap((n, i) => {
    const twice = seen.has(n.name);
    seen.add(n.name);
    return twice ? [{ key: `nodes[${i}].name`, message: `node '${n.name}' is declared twice` }] : [];
  });
};

/** For targets that pull images on other machines: a moving tag could run different code on different nodes. */
export function unpinnedImages(targetKind: string, images: ImagesByRole): ConfigIssue[] {
  return services.flatMap((s) => {
    const image = images[s.role];
    const reason = image === undefined ? undefined : unpinnedReason(image);
    return reason === undefined
      ? []
      : [{ key: s.imageKey, message: `'${image}' ${reason}; the ${targetKind} target needs a pinned version tag or digest` }];
  });
}

const imagesAvailable: Rule = (cfg, images) =>
  enabledServices(cfg)
    .filter((s) => images[s.role] === undefined)
    .map((s) => ({
      key: s.imageKey,
      message: `no image of this service can be built from the registries this machine reaches (imageSet '${cfg.imageSet}'); set an image from a registry you have, or turn the service off`,
    }));

const crawlerSources: Rule = (cfg) => {
  const issues: ConfigIssue[] = [];
  const c = cfg.crawler;
  if (c.enabled && c.mode === "crawl" && c.sources.length === 0) {
    issues.push({
      key: "crawler.sources",
      message: "crawl mode needs at least one source (name, url, parser or selectors); or use crawler.mode 'load'",
    });
  }
  const seen = new Set<string>();
  c.sources.forEach((s, i) => {
    if (seen.has(s.name))
      issues.push({
        key: `crawler.sources[${i}].name`,
        message: `source name '${s.name}' is used twice; names key the rows' source column`,
      });
    seen.add(s.name);
    if ((s.parser === undefined) === (s.selectors === undefined)) {
      issues.push({
        key: `crawler.sources[${i}]`,
        message: "set exactly one of parser (a named parser) or selectors (CSS selectors per field)",
      });
    }
  });
  return issues;
};

/** Port JupyterLab listens on inside the notebook's container (the published port is notebook.port). */
export const notebookContainerPort = 8888;

const notebook: Rule = (cfg) => {
  const n = cfg.notebook;
  if (!n.enabled) return [];
  const issues: ConfigIssue[] = [];
  const w = cfg.spark.workers;
  const clusterCores = w.count * w.cores;
  if (w.count === 0) {
    issues.push({
      key: "spark.workers.count",
      message: "notebook.enabled needs at least one Spark worker for its sessions' executors; got 0",
    });
  } else if (clusterCores > 1 && n.coresMax >= clusterCores) {
    issues.push({
      key: "notebook.coresMax",
      message: `${n.coresMax} cores would let one notebook take every core of the cluster (spark.workers.count × spark.workers.cores = ${clusterCores}); at most ${clusterCores - 1}`,
    });
  }
  if (n.executorMemoryMb > w.memoryMb) {
    issues.push({
      key: "notebook.executorMemoryMb",
      message: `no worker can start an executor of ${n.executorMemoryMb} MB (spark.workers.memoryMb = ${w.memoryMb}); at most ${w.memoryMb}`,
    });
  }
  if (n.blockManagerPort === n.driverPort) {
    issues.push({ key: "notebook.blockManagerPort", message: `must differ from notebook.driverPort (${n.driverPort})` });
  }
  if (n.resources.memoryMb !== undefined && n.driverMemoryMb >= n.resources.memoryMb) {
    issues.push({
      key: "notebook.driverMemoryMb",
      message: `${n.driverMemoryMb} MB of driver heap do not fit in notebook.resources.memoryMb (${n.resources.memoryMb} MB), which also holds JupyterLab and the kernel; lower the heap or raise the limit`,
    });
  }
  for (const key of ["driverPort", "blockManagerPort"] as const) {
    if (n[key] === notebookContainerPort)
      issues.push({ key: `notebook.${key}`, message: `${notebookContainerPort} is JupyterLab's own port in the notebook's container` });
  }
  return issues;
};

export const rules: readonly Rule[] = [
  kraftQuorum,
  replication,
  uniquePorts,
  nodeSizes,
  heapWithinLimit,
  benchmark,
  connectPlugins,
  placementLabels,
  uniqueNodes,
  imagesAvailable,
  crawlerSources,
  notebook,
];
