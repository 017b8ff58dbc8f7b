import { type StackFinding, stackPolicy } from "../lib/policy";
import { isConnectWorker, isKafkaBroker, propertiesFiles } from "../lib/properties";
import { type ResourceView, k8sLongRunning, types } from "../lib/resources";
import { asNumber, asObject, isUnknown } from "../lib/values";

/**
 * Swarm services and Kubernetes workloads spread over several hosts; one Docker host (the docker target) does
 * not, and there a replication factor of 1 is the only one that fits.
 */
export const isMultiHost = (resources: readonly ResourceView[]): boolean =>
  resources.some((r) => r.type === types.dockerService || k8sLongRunning.includes(r.type));

const brokerSettings = ["default.replication.factor", "offsets.topic.replication.factor", "transaction.state.log.replication.factor"];
const connectSettings = ["config.storage.replication.factor", "offset.storage.replication.factor", "status.storage.replication.factor"];
const connectorSettings = ["topic.creation.default.replication.factor"];

export const minReplicationFactor = 2;
export const minInsyncReplicas = 2;
/** From this many brokers on, min.insync.replicas=2 still lets one broker be down without stopping producers. */
export const brokersForMinIsr = 3;

export function replicationFindings(resources: readonly ResourceView[]): StackFinding[] {
  if (!isMultiHost(resources)) return [];
  const findings: StackFinding[] = [];
  const atLeast = (r: ResourceView, field: string, key: string, value: string | undefined, min: number, why: string) => {
    if (value === undefined) return;
    const n = asNumber(value);
    if (n === undefined || n < min)
      findings.push({
        urn: r.urn,
        message: `${r.name}: ${field} sets ${key}=${value}; on a multi-host stack it must be at least ${min} (${why}).`,
      });
  };

  const files = propertiesFiles(resources);
  const brokers = files.filter(isKafkaBroker);
  for (const f of brokers) {
    for (const key of brokerSettings)
      atLeast(f.resource, f.field, key, f.values[key], minReplicationFactor, "set bigdata:kafka.defaultReplicationFactor");
    if (brokers.length >= brokersForMinIsr)
      atLeast(
        f.resource,
        f.field,
        "min.insync.replicas",
        f.values["min.insync.replicas"],
        minInsyncReplicas,
        `with ${brokers.length} brokers; set bigdata:kafka.minInsyncReplicas`,
      );
  }
  for (const f of files.filter(isConnectWorker))
    for (const key of connectSettings)
      atLeast(f.resource, f.field, key, f.values[key], minReplicationFactor, "set bigdata:kafkaConnect.internalTopicReplicationFactor");

  for (const r of resources.filter((r) => r.type === types.connector)) {
    const config = asObject(r.props.config);
    for (const key of connectorSettings) {
      const value = config?.[key];
      if (value === undefined || isUnknown(value)) continue;
      atLeast(r, "config", key, String(value), minReplicationFactor, "it follows bigdata:kafka.defaultReplicationFactor");
    }
  }
  return findings;
}

export const kafkaReplication = stackPolicy<object>({
  name: "kafka-replication-on-multi-host",
  description:
    "On multi-host targets (swarm, Kubernetes) topics, Kafka's internal topics and Connect's config/offset/status topics are " +
    "replicated at least twice, and with three or more brokers min.insync.replicas is at least 2. Why: with one replica a " +
    "single host's loss loses the data and Connect's offsets (connectors re-read or skip rows); with min.insync.replicas=1 an " +
    "acknowledged write can still be lost.",
  enforcementLevel: "mandatory",
  check: (resources) => replicationFindings(resources),
});
