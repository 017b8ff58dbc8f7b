import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { PlacementSpec, ResourceSpec, VolumeSpec } from "../model/workload";
import type { Target } from "../model/target";
import { renderProperties } from "./properties";
import type { PlatformConfig } from "../config/load";
import { published } from "../config/derived";
import { spreadPlacement } from "../model/placement";

export interface KafkaConnectArgs {
  readonly target: Target;
  /** A Kafka image with connector plugins under /opt/kafka/connect-plugins (built from images/kafka-connect). */
  readonly image: string;
  readonly bootstrapServers: string;
  /** Distributed workers sharing one group. */
  readonly workers: number;
  readonly groupId: string;
  readonly heapMb: number;
  /** Replication of the config, offset and status topics. */
  readonly internalTopicReplicationFactor: number;
  /** Host port of the REST API; internal only when undefined. */
  readonly restPort?: number;
  /** Directory the file sink writes into: a persistent volume. */
  readonly sinkDirectory: string;
  readonly placement?: PlacementSpec;
  readonly resources?: ResourceSpec;
  /** Kafka must be ready first. */
  readonly dependsOn?: readonly pulumi.Resource[];
}

export const connectHost = "connect";
export const connectRestPort = 8083;
export const pluginPath = "/opt/kafka/connect-plugins";
const configPath = "/etc/kafka-connect/connect-distributed.properties";

export function connectWorkerProperties(a: KafkaConnectArgs): string {
  const rf = a.internalTopicReplicationFactor;
  return renderProperties({
    "bootstrap.servers": a.bootstrapServers,
    "group.id": a.groupId,
    "config.storage.topic": `${a.groupId}-configs`,
    "offset.storage.topic": `${a.groupId}-offsets`,
    "status.storage.topic": `${a.groupId}-status`,
    "config.storage.replication.factor": rf,
    "offset.storage.replication.factor": rf,
    "status.storage.replication.factor": rf,
    // Plain JSON rows (no schema envelope) are what the sink file and Spark read.
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": false,
    "value.converter.schemas.enable": false,
    "plugin.path": pluginPath,
    listeners: `http://0.0.0.0:${connectRestPort}`,
    "offset.flush.interval.ms": 1000,
    "topic.creation.enable": true,
  });
}

/**
 * Kafka Connect in distributed mode. Each worker advertises its own address for REST forwarding,
 * which is only known inside the container, so the command appends it at start.
 */
export class KafkaConnect extends pulumi.ComponentResource {
  /** REST URL inside the platform network. */
  readonly internalUrl = `http://${connectHost}:${connectRestPort}`;
  readonly readiness: readonly pulumi.Resource[];
  /** The volume the file sink writes into, when one worker holds it (with several, the sink task's worker is not known). */
  readonly sinkVolume?: { readonly workload: string; readonly volume: VolumeSpec };

  constructor(name: string, args: KafkaConnectArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bigdata:platform:KafkaConnect", name, {}, opts);
    const sinkVolume: VolumeSpec = { name: "sink", mountPath: args.sinkDirectory };
    const workload = args.target.deploy(
      {
        name: connectHost,
        component: "kafka-connect",
        image: args.image,
        replicas: args.workers,
        command: [
          "sh",
          "-c",
          `cp ${configPath} /tmp/connect.properties && ` +
            `echo "rest.advertised.host.name=$(hostname -i | cut -d' ' -f1)" >> /tmp/connect.properties && ` +
            "exec /opt/kafka/bin/connect-distributed.sh /tmp/connect.properties",
        ],
        env: { KAFKA_HEAP_OPTS: `-Xms${args.heapMb}m -Xmx${args.heapMb}m` },
        files: [{ path: configPath, content: connectWorkerProperties(args) }],
        ports: [{ name: "rest", containerPort: connectRestPort, published: args.restPort }],
        volumes: [sinkVolume],
        // REST answers only once the worker has joined its group: a real readiness signal.
        healthcheck: {
          shell: `curl -fsS http://localhost:${connectRestPort}/connectors >/dev/null 2>&1 || wget -q -O /dev/null http://localhost:${connectRestPort}/connectors`,
          intervalSeconds: 5,
          timeoutSeconds: 5,
          retries: 60,
          startPeriodSeconds: 20,
        },
        resources: args.resources,
        placement: args.placement,
        stopGracePeriodSeconds: 30,
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.readiness = workload.readiness;
    if (args.workers === 1) this.sinkVolume = { workload: connectHost, volume: sinkVolume };
    this.registerOutputs({ internalUrl: this.internalUrl });
  }
}

export const sinkDirectoryOf = (file: string): string => path.posix.dirname(file);

/** The Connect workers as the stack config describes them, on the given Kafka cluster. */
export function kafkaConnectArgs(
  cfg: PlatformConfig,
  target: Target,
  kafka: { readonly bootstrapServers: string; readonly readiness: readonly pulumi.Resource[] },
): KafkaConnectArgs {
  return {
    target,
    image: cfg.images.kafkaConnect,
    bootstrapServers: kafka.bootstrapServers,
    workers: cfg.kafkaConnect.workers,
    groupId: cfg.kafkaConnect.groupId,
    heapMb: cfg.kafkaConnect.heapMb,
    internalTopicReplicationFactor: cfg.kafkaConnect.internalTopicReplicationFactor,
    restPort: published(cfg.kafkaConnect.restPort),
    sinkDirectory: sinkDirectoryOf(cfg.connectors.fileSink.file),
    placement: spreadPlacement(cfg.nodes, cfg.kafkaConnect.placement, cfg.kafkaConnect.workers),
    resources: cfg.kafkaConnect.resources,
    dependsOn: kafka.readiness,
  };
}
