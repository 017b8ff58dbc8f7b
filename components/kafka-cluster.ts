import * as pulumi from "@pulumi/pulumi";
import type { PlacementSpec, ResourceSpec, WorkloadSpec } from "../model/workload";
import type { Target } from "../model/target";
import { renderProperties } from "./properties";
import * as crypto from "crypto";
import type { PlatformConfig } from "../config/load";
import { published } from "../config/derived";
import { pinnedPlacements } from "../model/placement";

export interface KafkaClusterArgs {
  readonly target: Target;
  /** An image with the official `apache/kafka` layout (/opt/kafka/bin scripts). */
  readonly image: string;
  /** KRaft cluster id (22 characters, base64url of 16 bytes); must stay the same for the data to stay. */
  readonly clusterId: string;
  readonly brokers: number;
  /** Dedicated controllers; 0 makes every broker a combined broker+controller voter. */
  readonly controllers: number;
  readonly heapMb: number;
  readonly partitions: number;
  readonly defaultReplicationFactor: number;
  readonly minInsyncReplicas: number;
  /**
   * Host clients outside the platform network reach each broker at: broker i advertises
   * externalHosts[i-1]:externalPortBase+i-1 (its node's address when brokers are spread over hosts).
   */
  readonly externalHosts: readonly string[];
  readonly externalPortBase?: number;
  /** One placement per broker / controller (stateful: pinned with its volume). */
  readonly brokerPlacements?: readonly PlacementSpec[];
  readonly controllerPlacements?: readonly PlacementSpec[];
  readonly resources?: ResourceSpec;
}

export const internalPort = 9092;
export const controllerPort = 9093;
const configPath = "/etc/kafka/server.properties";
const dataDir = "/var/lib/kafka/data";

interface KafkaNode {
  readonly host: string;
  readonly id: number;
  readonly roles: "broker,controller" | "broker" | "controller";
  readonly externalPort?: number;
  readonly externalHost?: string;
  readonly placement?: PlacementSpec;
}

/** The cluster's nodes: combined voters, or dedicated controllers (ids from 1001) plus brokers. */
export function kafkaNodes(a: KafkaClusterArgs): KafkaNode[] {
  const brokers: KafkaNode[] = Array.from({ length: a.brokers }, (_, i) => ({
    host: `kafka-${i + 1}`,
    id: i + 1,
    roles: a.controllers > 0 ? "broker" : "broker,controller",
    externalPort: a.externalPortBase === undefined ? undefined : a.externalPortBase + i,
    externalHost: a.externalHosts[i],
    placement: a.brokerPlacements?.[i],
  }));
  const controllers: KafkaNode[] = Array.from({ length: a.controllers }, (_, i) => ({
    host: `kafka-controller-${i + 1}`,
    id: 1001 + i,
    roles: "controller",
    placement: a.controllerPlacements?.[i],
  }));
  return [...controllers, ...brokers];
}

export function serverProperties(a: KafkaClusterArgs, node: KafkaNode, all: readonly KafkaNode[]): string {
  const voters = all.filter((n) => n.roles.includes("controller")).map((n) => `${n.id}@${n.host}:${controllerPort}`);
  const isBroker = node.roles.includes("broker");
  const isController = node.roles.includes("controller");
  const listeners: string[] = [];
  const advertised: string[] = [];
  if (isBroker) {
    listeners.push(`INTERNAL://0.0.0.0:${internalPort}`);
    advertised.push(`INTERNAL://${node.host}:${internalPort}`);
    if (node.externalPort !== undefined) {
      listeners.push(`EXTERNAL://0.0.0.0:${node.externalPort}`);
      advertised.push(`EXTERNAL://${node.externalHost}:${node.externalPort}`);
    }
  }
  if (isController) listeners.push(`CONTROLLER://0.0.0.0:${controllerPort}`);
  const internalTopicsRf = Math.min(a.defaultReplicationFactor, a.brokers);
  return renderProperties({
    "process.roles": node.roles,
    "node.id": node.id,
    "controller.quorum.voters": voters.join(","),
    "controller.listener.names": "CONTROLLER",
    listeners: listeners.join(","),
    "advertised.listeners": advertised.length ? advertised.join(",") : undefined,
    "listener.security.protocol.map": "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT",
    "inter.broker.listener.name": isBroker ? "INTERNAL" : undefined,
    "log.dirs": dataDir,
    "num.partitions": a.partitions,
    "default.replication.factor": a.defaultReplicationFactor,
    "min.insync.replicas": a.minInsyncReplicas,
    "offsets.topic.replication.factor": internalTopicsRf,
    "transaction.state.log.replication.factor": internalTopicsRf,
    "transaction.state.log.min.isr": Math.min(a.minInsyncReplicas, internalTopicsRf),
    "share.coordinator.state.topic.replication.factor": internalTopicsRf,
    "share.coordinator.state.topic.min.isr": Math.min(a.minInsyncReplicas, internalTopicsRf),
    "auto.create.topics.enable": true,
    "group.initial.rebalance.delay.ms": 0,
  });
}

/**
 * A Kafka cluster in KRaft mode (no ZooKeeper). Every node has a stable host name, its own
 * advertised listeners, its own volume and an explicit heap.
 */
export class KafkaCluster extends pulumi.ComponentResource {
  /** Bootstrap servers inside the platform network. */
  readonly bootstrapServers: string;
  /** Bootstrap servers for clients outside the platform network; undefined when not published. */
  readonly externalBootstrapServers?: string;
  readonly readiness: readonly pulumi.Resource[];

  constructor(name: string, args: KafkaClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bigdata:platform:KafkaCluster", name, {}, opts);
    const nodes = kafkaNodes(args);
    const brokers = nodes.filter((n) => n.roles.includes("broker"));
    this.bootstrapServers = brokers.map((b) => `${b.host}:${internalPort}`).join(",");
    this.externalBootstrapServers =
      args.externalPortBase === undefined ? undefined : brokers.map((b) => `${b.externalHost}:${b.externalPort}`).join(",");

    // Controllers first: brokers of a dedicated quorum cannot register before it exists.
    const controllers = nodes
      .filter((n) => n.roles === "controller")
      .map((n) => args.target.deploy(this.spec(args, n, nodes), { parent: this }));
    const controllerReadiness = controllers.flatMap((w) => w.readiness);
    const brokerWorkloads = brokers.map((n) =>
      args.target.deploy(this.spec(args, n, nodes), { parent: this, dependsOn: controllerReadiness }),
    );
    this.readiness = [...controllerReadiness, ...brokerWorkloads.flatMap((w) => w.readiness)];
    this.registerOutputs({ bootstrapServers: this.bootstrapServers, externalBootstrapServers: this.externalBootstrapServers });
  }

  private spec(args: KafkaClusterArgs, node: KafkaNode, all: readonly KafkaNode[]): WorkloadSpec {
    const isBroker = node.roles.includes("broker");
    // A voter must be healthy before the quorum exists: orchestrators that publish a name only for
    // healthy instances (swarm's DNS) would otherwise never let the voters find each other. So a
    // voter's probe is its controller listener accepting connections; a broker outside the quorum
    // must answer API requests. The probe is a JVM too: a small heap keeps it from doubling the footprint.
    const probe = node.roles.includes("controller")
      ? `bash -c '</dev/tcp/127.0.0.1/${controllerPort}' 2>/dev/null`
      : `KAFKA_HEAP_OPTS=-Xmx64m /opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:${internalPort} >/dev/null 2>&1`;
    return {
      name: node.host,
      component: "kafka",
      image: args.image,
      command: [
        "sh",
        "-c",
        `set -e; /opt/kafka/bin/kafka-storage.sh format --ignore-formatted --cluster-id "$KAFKA_CLUSTER_ID" --config ${configPath}; ` +
          `exec /opt/kafka/bin/kafka-server-start.sh ${configPath}`,
      ],
      env: { KAFKA_CLUSTER_ID: args.clusterId, KAFKA_HEAP_OPTS: `-Xms${args.heapMb}m -Xmx${args.heapMb}m` },
      files: [{ path: configPath, content: serverProperties(args, node, all) }],
      ports: [
        ...(isBroker ? [{ name: "kafka", containerPort: internalPort }] : []),
        ...(node.externalPort !== undefined
          ? [{ name: "kafka-external", containerPort: node.externalPort, published: node.externalPort }]
          : []),
        ...(node.roles.includes("controller") ? [{ name: "controller", containerPort: controllerPort }] : []),
      ],
      volumes: [{ name: "data", mountPath: dataDir }],
      healthcheck: { shell: probe, intervalSeconds: 10, timeoutSeconds: 20, retries: 18, startPeriodSeconds: 15 },
      resources: args.resources,
      placement: node.placement,
      stopGracePeriodSeconds: 60,
    };
  }
}

/** A stable KRaft cluster id per stack: formatting storage again with another id would orphan the data. */
export function kafkaClusterId(namePrefix: string): string {
  return crypto.createHash("sha256").update(`${namePrefix}/kafka`).digest().subarray(0, 16).toString("base64url");
}

/** The Kafka cluster as the stack config describes it. */
export function kafkaClusterArgs(cfg: PlatformConfig, target: Target): KafkaClusterArgs {
  const brokerPlacements = pinnedPlacements(cfg.nodes, cfg.kafka.brokerPlacement, cfg.kafka.brokers);
  return {
    target,
    image: cfg.images.kafka,
    clusterId: kafkaClusterId(cfg.namePrefix),
    brokers: cfg.kafka.brokers,
    controllers: cfg.kafka.controllers,
    heapMb: cfg.kafka.heapMb,
    partitions: cfg.kafka.partitions,
    defaultReplicationFactor: cfg.kafka.defaultReplicationFactor,
    minInsyncReplicas: cfg.kafka.minInsyncReplicas,
    // A broker is reached where its port is published: the address of the node it is pinned to.
    externalHosts: brokerPlacements.map((p) => cfg.nodes.find((n) => n.name === p.node)?.address ?? cfg.publicHost),
    externalPortBase: published(cfg.kafka.externalPortBase),
    brokerPlacements,
    controllerPlacements: pinnedPlacements(cfg.nodes, cfg.kafka.controllerPlacement, cfg.kafka.controllers),
    resources: cfg.kafka.resources,
  };
}
