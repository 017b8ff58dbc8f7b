import { imageConfigKeys, imageRoles, type ImageRole, unpinnedReason } from "./images";
import type { ConfigIssue } from "./issues";
import { nodesMatching } from "../model/placement";
import type { ParsedPlatformConfig } from "./schema";

/**
 * Cross-field rules: what a single field's schema cannot say. Each rule returns every issue it finds,
 * so a user sees all problems of a stack at once.
 */
type Rule = (cfg: ParsedPlatformConfig, images: Record<ImageRole, string | undefined>) => ConfigIssue[];

const describeLabels = (labels: Record<string, string>) =>
  "{" + Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(", ") + "}";

/** Every placement in the config, by key, so placement rules cover new sections without edits. */
export function placements(cfg: ParsedPlatformConfig): [string, Record<string, string>][] {
  return [
    ["mariadb.placement", cfg.mariadb.placement],
    ["kafka.brokerPlacement", cfg.kafka.brokerPlacement],
    ["kafka.controllerPlacement", cfg.kafka.controllerPlacement],
    ["kafkaConnect.placement", cfg.kafkaConnect.placement],
    ["spark.masterPlacement", cfg.spark.masterPlacement],
    ["spark.workers.placement", cfg.spark.workers.placement],
    ["crawler.placement", cfg.crawler.placement],
  ];
}

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

/** Host ports every enabled service publishes, by config key. */
export function publishedPorts(cfg: ParsedPlatformConfig): [string, number][] {
  const ports: [string, number | null][] = [
    ["mariadb.port", cfg.mariadb.port],
    ["kafkaConnect.restPort", cfg.kafkaConnect.restPort],
  ];
  if (cfg.kafka.externalPortBase !== null) {
    for (let i = 0; i < cfg.kafka.brokers; i++) {
      ports.push([i === 0 ? "kafka.externalPortBase" : `kafka.externalPortBase (+${i} for broker ${i + 1})`, cfg.kafka.externalPortBase + i]);
    }
  }
  if (cfg.schemaRegistry.enabled) ports.push(["schemaRegistry.port", cfg.schemaRegistry.port]);
  if (cfg.restProxy.enabled) ports.push(["restProxy.port", cfg.restProxy.port]);
  if (cfg.dashboards.kafkaUi.enabled) {
    ports.push(["dashboards.kafkaUi.topicsPort", cfg.dashboards.kafkaUi.topicsPort]);
    ports.push(["dashboards.kafkaUi.connectPort", cfg.dashboards.kafkaUi.connectPort]);
  }
  if (cfg.dashboards.sparkUi.enabled) ports.push(["dashboards.sparkUi.port", cfg.dashboards.sparkUi.port]);
  return ports.filter((p): p is [string, number] => p[1] !== null);
}

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

const nodePorts: Rule = (cfg) => {
  if (cfg.target !== "kubernetes" || cfg.kubernetes.serviceType !== "NodePort") return [];
  const [first, last] = cfg.kubernetes.nodePortRange.split("-").map(Number);
  return publishedPorts(cfg)
    .filter(([, p]) => p < first || p > last)
    .map(([key, p]) => ({
      key: key.split(" ")[0],
      message: `with kubernetes.serviceType NodePort a published port is a node port and must lie in kubernetes.nodePortRange ${first}-${last}; got ${p}${key.includes(" ") ? ` ${key.slice(key.indexOf(" ") + 1)}` : ""}`,
    }));
};

const benchmark: Rule = (cfg) => {
  const b = cfg.benchmark;
  if (!b.enabled) return [];
  const issues: ConfigIssue[] = [];
  if (cfg.spark.workers.count === 0) {
    issues.push({ key: "spark.workers.count", message: "benchmark.enabled needs at least one Spark worker for its cluster-mode run; got 0" });
  }
  const repeated = b.sizesMb.filter((size, i) => b.sizesMb.indexOf(size) !== i);
  if (repeated.length > 0) issues.push({ key: "benchmark.sizesMb", message: `each size may appear once; repeated: ${[...new Set(repeated)].join(", ")}` });
  if (cfg.target === "swarm" && cfg.nodes.length > 0) {
    const hosts = nodesMatching(cfg.nodes, cfg.spark.workers.placement);
    if (hosts.length !== 1) {
      issues.push({
        key: "spark.workers.placement",
        message: `benchmark.enabled on swarm: the cluster-mode run reads its dataset from a local volume, so every Spark worker must be on the node that runs the job; the placement must match exactly one node, but matches ${hosts.length}${hosts.length ? ` (${hosts.map((n) => n.name).join(", ")})` : ""}. Turn the benchmark off or pin the workers to one node`,
      });
    }
  }
  return issues;
};

const sparkWorkerSize: Rule = (cfg) => {
  const issues: ConfigIssue[] = [];
  const w = cfg.spark.workers;
  for (const node of nodesMatching(cfg.nodes, w.placement)) {
    if (node.cpus !== undefined && w.cores > node.cpus) {
      issues.push({ key: "spark.workers.cores", message: `${w.cores} cores per worker exceed node '${node.name}' (${node.cpus} cpus in nodes)` });
    }
    if (node.memoryMb !== undefined && w.memoryMb > node.memoryMb) {
      issues.push({ key: "spark.workers.memoryMb", message: `${w.memoryMb} MB per worker exceed node '${node.name}' (${node.memoryMb} MB in nodes)` });
    }
  }
  return issues;
};

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
  if (source.enabled && !plugins.includes(source.kind)) missing("connectors.source.kind", `the '${source.kind}' source connector`, source.kind);
  const anyConnector = source.enabled || cfg.connectors.fileSink.enabled;
  if (anyConnector && cfg.kafkaConnect.restPort === null && cfg.kafkaConnect.adminUrl === undefined) {
    issues.push({
      key: "kafkaConnect.restPort",
      message: "connectors are managed through the Connect REST API from where `pulumi` runs: publish it (a port number) or set kafkaConnect.adminUrl",
    });
  }
  return issues;
};

const placementLabels: Rule = (cfg) => {
  const issues: ConfigIssue[] = [];
  const declared = cfg.nodes.map((n) => `${n.name} ${describeLabels(n.labels)}`).join("; ");
  for (const [key, labels] of placements(cfg)) {
    if (Object.keys(labels).length === 0) continue;
    if (cfg.target === "docker") {
      issues.push({ key, message: "placement applies to the swarm and kubernetes targets only; remove it for target 'docker'" });
    } else if ((cfg.target === "swarm" || cfg.nodes.length > 0) && nodesMatching(cfg.nodes, labels).length === 0) {
      issues.push({
        key,
        message: `no node declared in nodes has the labels ${describeLabels(labels)}; declared: ${declared || "none"}`,
      });
    }
  }
  return issues;
};

const swarmNodes: Rule = (cfg) => {
  const issues: ConfigIssue[] = [];
  if (cfg.target === "swarm" && cfg.nodes.length === 0) {
    issues.push({ key: "nodes", message: "the swarm target needs the swarm's nodes declared (name = the node's hostname, labels, optional cpus and memoryMb)" });
  }
  const seen = new Set<string>();
  cfg.nodes.forEach((n, i) => {
    if (seen.has(n.name)) issues.push({ key: `nodes[${i}].name`, message: `node '${n.name}' is declared twice` });
    seen.add(n.name);
  });
  return issues;
};

const pinnedImages: Rule = (cfg, images) => {
  const issues: ConfigIssue[] = [];
  for (const role of imageRoles) {
    const image = images[role];
    if (image === undefined) continue;
    const reason = unpinnedReason(image);
    if (reason && cfg.target !== "docker") {
      issues.push({ key: imageConfigKeys[role], message: `'${image}' ${reason}; the ${cfg.target} target needs a pinned version tag or digest` });
    }
  }
  return issues;
};

/** Roles that run with this config, so a missing image only matters when its service is on. */
export function enabledImageRoles(cfg: ParsedPlatformConfig): ImageRole[] {
  const roles: ImageRole[] = ["mariadb", "kafka", "kafkaConnect", "spark"];
  if (cfg.crawler.enabled) roles.push("crawler");
  if (cfg.dashboards.kafkaUi.enabled) roles.push("kafkaUi");
  if (cfg.schemaRegistry.enabled) roles.push("schemaRegistry");
  if (cfg.restProxy.enabled) roles.push("restProxy");
  return roles;
}

const imagesAvailable: Rule = (cfg, images) =>
  enabledImageRoles(cfg)
    .filter((role) => images[role] === undefined)
    .map((role) => ({
      key: imageConfigKeys[role],
      message: `no image of this service can be built from the registries this machine reaches (imageSet '${cfg.imageSet}'); set an image from a registry you have, or turn the service off`,
    }));

const crawlerSources: Rule = (cfg) => {
  const issues: ConfigIssue[] = [];
  const c = cfg.crawler;
  if (c.enabled && c.mode === "crawl" && c.sources.length === 0) {
    issues.push({ key: "crawler.sources", message: "crawl mode needs at least one source (name, url, parser or selectors); or use crawler.mode 'load'" });
  }
  const seen = new Set<string>();
  c.sources.forEach((s, i) => {
    if (seen.has(s.name)) issues.push({ key: `crawler.sources[${i}].name`, message: `source name '${s.name}' is used twice; names key the rows' source column` });
    seen.add(s.name);
    if ((s.parser === undefined) === (s.selectors === undefined)) {
      issues.push({ key: `crawler.sources[${i}]`, message: "set exactly one of parser (a named parser) or selectors (CSS selectors per field)" });
    }
  });
  return issues;
};

export const rules: readonly Rule[] = [
  kraftQuorum,
  replication,
  uniquePorts,
  nodePorts,
  sparkWorkerSize,
  benchmark,
  connectPlugins,
  placementLabels,
  swarmNodes,
  pinnedImages,
  imagesAvailable,
  crawlerSources,
];
