import type { ConfigIssue } from "../../config/issues";
import type { ParsedPlatformConfig } from "../../config/schema";
import { nodesMatching } from "../../model/placement";

/** A swarm's services are placed by node labels, so the nodes must be known; the benchmark's data volume is per node. */
export function swarmRules(cfg: ParsedPlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (cfg.nodes.length === 0) {
    issues.push({
      key: "nodes",
      message: "the swarm target needs the swarm's nodes declared (name = the node's hostname, labels, optional cpus and memoryMb)",
    });
  } else if (cfg.benchmark.enabled) {
    const hosts = nodesMatching(cfg.nodes, cfg.spark.workers.placement);
    if (hosts.length !== 1) {
      issues.push({
        key: "spark.workers.placement",
        message: `benchmark.enabled on swarm: the cluster-mode run reads its dataset from a local volume, so every Spark worker must be on the node that runs the job; the placement must match exactly one node, but matches ${hosts.length}${hosts.length ? ` (${hosts.map((n) => n.name).join(", ")})` : ""}. Turn the benchmark off or pin the workers to one node`,
      });
    }
  }
  return issues;
}
