import * as pulumi from "@pulumi/pulumi";
import type { Target } from "../model/target";
import type { PlatformConfig } from "../config/load";
import { published } from "../config/derived";

export interface ConfluentServiceArgs {
  readonly target: Target;
  /** A pinned Confluent image (cp-schema-registry / cp-kafka-rest). */
  readonly image: string;
  readonly bootstrapServers: string;
  readonly heapMb: number;
  /** Host port; internal only when undefined. */
  readonly publishedPort?: number;
}

export interface SchemaRegistryArgs extends ConfluentServiceArgs {
  /** Replication of its `_schemas` topic. */
  readonly replicationFactor: number;
  readonly dependsOn?: readonly pulumi.Resource[];
}

export interface RestProxyArgs extends ConfluentServiceArgs {
  readonly schemaRegistryUrl?: string;
  readonly dependsOn?: readonly pulumi.Resource[];
}

const bootstrapList = (servers: string) =>
  servers
    .split(",")
    .map((s) => `PLAINTEXT://${s}`)
    .join(",");

export const schemaRegistryHost = "schema-registry";
export const schemaRegistryPort = 8081;
export const restProxyHost = "rest-proxy";
export const restProxyPort = 8082;

/** Confluent Schema Registry, as in the paper's stack; optional, off by default. */
export class SchemaRegistry extends pulumi.ComponentResource {
  readonly internalUrl = `http://${schemaRegistryHost}:${schemaRegistryPort}`;
  readonly readiness: readonly pulumi.Resource[];

  constructor(name: string, args: SchemaRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bigdata:platform:SchemaRegistry", name, {}, opts);
    const workload = args.target.deploy(
      {
        name: schemaRegistryHost,
        component: "schema-registry",
        image: args.image,
        env: {
          SCHEMA_REGISTRY_HOST_NAME: schemaRegistryHost,
          SCHEMA_REGISTRY_LISTENERS: `http://0.0.0.0:${schemaRegistryPort}`,
          SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: bootstrapList(args.bootstrapServers),
          SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR: String(args.replicationFactor),
          SCHEMA_REGISTRY_HEAP_OPTS: `-Xms${args.heapMb}m -Xmx${args.heapMb}m`,
        },
        ports: [{ name: "http", containerPort: schemaRegistryPort, published: args.publishedPort }],
        healthcheck: {
          shell: `curl -fsS http://localhost:${schemaRegistryPort}/subjects >/dev/null`,
          intervalSeconds: 5,
          timeoutSeconds: 5,
          retries: 30,
          startPeriodSeconds: 15,
        },
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.readiness = workload.readiness;
    this.registerOutputs({ internalUrl: this.internalUrl });
  }
}

/** Confluent REST Proxy, as in the paper's stack; optional, off by default. */
export class RestProxy extends pulumi.ComponentResource {
  readonly internalUrl = `http://${restProxyHost}:${restProxyPort}`;
  readonly readiness: readonly pulumi.Resource[];

  constructor(name: string, args: RestProxyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bigdata:platform:RestProxy", name, {}, opts);
    const workload = args.target.deploy(
      {
        name: restProxyHost,
        component: "rest-proxy",
        image: args.image,
        env: {
          KAFKA_REST_HOST_NAME: restProxyHost,
          KAFKA_REST_LISTENERS: `http://0.0.0.0:${restProxyPort}`,
          KAFKA_REST_BOOTSTRAP_SERVERS: bootstrapList(args.bootstrapServers),
          KAFKA_REST_HEAP_OPTS: `-Xms${args.heapMb}m -Xmx${args.heapMb}m`,
          ...(args.schemaRegistryUrl ? { KAFKA_REST_SCHEMA_REGISTRY_URL: args.schemaRegistryUrl } : {}),
        },
        ports: [{ name: "http", containerPort: restProxyPort, published: args.publishedPort }],
        healthcheck: {
          shell: `curl -fsS http://localhost:${restProxyPort}/topics >/dev/null`,
          intervalSeconds: 5,
          timeoutSeconds: 5,
          retries: 30,
          startPeriodSeconds: 15,
        },
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.readiness = workload.readiness;
    this.registerOutputs({ internalUrl: this.internalUrl });
  }
}

type KafkaEndpoint = { readonly bootstrapServers: string; readonly readiness: readonly pulumi.Resource[] };

/** Schema Registry as the stack config describes it, on the given Kafka cluster. */
export function schemaRegistryArgs(cfg: PlatformConfig, target: Target, kafka: KafkaEndpoint): SchemaRegistryArgs {
  return {
    target,
    image: cfg.images.schemaRegistry,
    bootstrapServers: kafka.bootstrapServers,
    heapMb: cfg.schemaRegistry.heapMb,
    publishedPort: published(cfg.schemaRegistry.port),
    replicationFactor: cfg.kafka.defaultReplicationFactor,
    dependsOn: kafka.readiness,
  };
}

/** REST Proxy as the stack config describes it, with Schema Registry when that runs too. */
export function restProxyArgs(
  cfg: PlatformConfig,
  target: Target,
  kafka: KafkaEndpoint,
  schemaRegistry?: { readonly internalUrl: string; readonly readiness: readonly pulumi.Resource[] },
): RestProxyArgs {
  return {
    target,
    image: cfg.images.restProxy,
    bootstrapServers: kafka.bootstrapServers,
    heapMb: cfg.restProxy.heapMb,
    publishedPort: published(cfg.restProxy.port),
    schemaRegistryUrl: schemaRegistry?.internalUrl,
    dependsOn: [...kafka.readiness, ...(schemaRegistry?.readiness ?? [])],
  };
}
