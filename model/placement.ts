import type { PlacementSpec } from "./workload";

export interface NodeInfo {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Nodes carrying all the labels. */
export function nodesMatching<N extends NodeInfo>(nodes: readonly N[], labels: Readonly<Record<string, string>>): N[] {
  return nodes.filter((n) => Object.entries(labels).every(([k, v]) => n.labels[k] === v));
}

/**
 * Placement for `count` stateful instances (brokers, controllers, a database): each pinned to one
 * node, round-robin over the nodes carrying the labels, so data and its volume stay together and
 * replicas land on different nodes. Without declared nodes, labels alone decide.
 */
export function pinnedPlacements(nodes: readonly NodeInfo[], labels: Readonly<Record<string, string>>, count: number): PlacementSpec[] {
  const hosts = nodesMatching(nodes, labels);
  return Array.from({ length: count }, (_, i) => (hosts.length === 0 ? { labels } : { labels, node: hosts[i % hosts.length].name }));
}

/**
 * Placement for interchangeable replicas: spread evenly over the nodes carrying the labels. When only one
 * node carries them, they are pinned to it, so that what they store is declared on that node.
 */
export function spreadPlacement(nodes: readonly NodeInfo[], labels: Readonly<Record<string, string>>, replicas: number): PlacementSpec {
  const hosts = nodesMatching(nodes, labels);
  if (hosts.length === 0) return { labels };
  const maxReplicasPerNode = Math.max(1, Math.ceil(replicas / hosts.length));
  return hosts.length === 1 ? { labels, node: hosts[0].name, maxReplicasPerNode } : { labels, maxReplicasPerNode };
}
