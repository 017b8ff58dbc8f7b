import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { type PlatformConfig, type SecretKey, secretKeys } from "../config/load";
import { pinnedPlacements, spreadPlacement } from "../model/placement";
import { Connector } from "../providers/kafka-connect";
import type { TargetFactory } from "../model/target";
import { RestProxy, SchemaRegistry } from "./confluent-services";
import { type ConnectorDefinition, debeziumMariaDbSource, fileSink, jdbcSource, topicOf } from "./connector-configs";
import { Crawler } from "./crawler";
import { Dashboards } from "./dashboards";
import { KafkaCluster } from "./kafka-cluster";
import { KafkaConnect, sinkDirectoryOf } from "./kafka-connect";
import { MariaDb } from "./mariadb";
import { BenchmarkJob, type JobSources } from "./benchmark-job";
import { SparkCluster, sparkDataVolume } from "./spark-cluster";

export interface PlatformArgs {
  /** The validated stack configuration. */
  readonly config: PlatformConfig;
  /** Builds the deployment target (docker, swarm or kubernetes) inside the platform. */
  readonly target: TargetFactory;
  /** DDL of the crawler's table with `{{table}}` for its name (crawler/schema/observations.sql). */
  readonly tableDdlTemplate: string;
  /** The Python sources of the benchmark job (jobs/). */
  readonly jobSources: JobSources;
}

/** A stable KRaft cluster id per stack: formatting storage again with another id would orphan the data. */
export function kafkaClusterId(namePrefix: string): string {
  return crypto.createHash("sha256").update(`${namePrefix}/kafka`).digest().subarray(0, 16).toString("base64url");
}

/**
 * The whole platform: crawler → MariaDB → Kafka Connect source → Kafka topic → file sink and Spark.
 * Readiness is explicit: MariaDB healthy and Kafka's quorum up → Connect REST up → connectors and all
 * their tasks RUNNING → crawler. Independent parts (Spark, dashboards) start in parallel.
 */
export class Platform extends pulumi.ComponentResource {
  readonly mariadbJdbcUrl: string;
  readonly mariadbPassword: pulumi.Output<string>;
  readonly kafkaBootstrapServers: string;
  readonly kafkaExternalBootstrapServers?: string;
  readonly connectRestUrl?: string;
  readonly topic: string;
  readonly sinkFile?: string;
  readonly connectorStates: pulumi.Output<Record<string, string>>;
  readonly sparkMasterUrl: string;
  readonly dashboards: Dashboards;
  readonly benchmark?: BenchmarkJob;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bigdata:platform:Platform", name, {}, opts);
    const cfg = args.config;
    const target = args.target(this);
    const passwords = Object.fromEntries(
      secretKeys.map((key) => {
        const given = cfg.secrets[key];
        if (given !== undefined) return [key, pulumi.secret(given)];
        // No special characters: the value goes into SQL, shell and JDBC settings unquoted.
        return [key, new random.RandomPassword(`${cfg.namePrefix}-${key}`, { length: 24, special: false }, { parent: this }).result];
      }),
    ) as Record<SecretKey, pulumi.Output<string>>;
    const password = (key: SecretKey) => passwords[key];

    const mariadb = new MariaDb(
      "mariadb",
      {
        target,
        image: cfg.images.mariadb,
        database: cfg.mariadb.database,
        user: cfg.mariadb.user,
        password: password("mariadbPassword"),
        rootPassword: password("mariadbRootPassword"),
        cdcUser: cfg.mariadb.cdcUser,
        cdcPassword: password("mariadbCdcPassword"),
        initSql: args.tableDdlTemplate.split("{{table}}").join(cfg.mariadb.table),
        serverId: cfg.mariadb.serverId,
        publishedPort: cfg.mariadb.port ?? undefined,
        placement: pinnedPlacements(cfg.nodes, cfg.mariadb.placement, 1)[0],
        resources: cfg.mariadb.resources,
      },
      { parent: this },
    );
    this.mariadbJdbcUrl = mariadb.jdbcUrl;
    this.mariadbPassword = password("mariadbPassword");

    const brokerPlacements = pinnedPlacements(cfg.nodes, cfg.kafka.brokerPlacement, cfg.kafka.brokers);
    const kafka = new KafkaCluster(
      "kafka",
      {
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
        externalPortBase: cfg.kafka.externalPortBase ?? undefined,
        brokerPlacements,
        controllerPlacements: pinnedPlacements(cfg.nodes, cfg.kafka.controllerPlacement, cfg.kafka.controllers),
        resources: cfg.kafka.resources,
      },
      { parent: this },
    );
    this.kafkaBootstrapServers = kafka.bootstrapServers;
    this.kafkaExternalBootstrapServers = kafka.externalBootstrapServers;

    const connect = new KafkaConnect(
      "kafka-connect",
      {
        target,
        image: cfg.images.kafkaConnect,
        bootstrapServers: kafka.bootstrapServers,
        workers: cfg.kafkaConnect.workers,
        groupId: cfg.kafkaConnect.groupId,
        heapMb: cfg.kafkaConnect.heapMb,
        internalTopicReplicationFactor: cfg.kafkaConnect.internalTopicReplicationFactor,
        restPort: cfg.kafkaConnect.restPort ?? undefined,
        sinkDirectory: sinkDirectoryOf(cfg.connectors.fileSink.file),
        placement: spreadPlacement(cfg.nodes, cfg.kafkaConnect.placement, cfg.kafkaConnect.workers),
        resources: cfg.kafkaConnect.resources,
        dependsOn: kafka.readiness,
      },
      { parent: this },
    );

    const sourceTable = {
      databaseHost: mariadb.host,
      databasePort: mariadb.port,
      database: cfg.mariadb.database,
      table: cfg.mariadb.table,
      topicPrefix: cfg.connectors.source.topicPrefix,
      tasksMax: cfg.connectors.source.tasksMax,
      partitions: cfg.kafka.partitions,
      replicationFactor: cfg.kafka.defaultReplicationFactor,
    };
    this.topic = topicOf(sourceTable);
    this.connectRestUrl =
      cfg.kafkaConnect.adminUrl ?? (cfg.kafkaConnect.restPort === null ? undefined : target.publishedUrl(cfg.kafkaConnect.restPort));

    const definitions: { definition: ConnectorDefinition; secrets: Record<string, pulumi.Output<string>>; dependsOn: pulumi.Resource[] }[] = [];
    if (cfg.connectors.source.enabled) {
      const source = cfg.connectors.source;
      definitions.push(
        source.kind === "debezium-mariadb"
          ? {
              definition: debeziumMariaDbSource({ ...sourceTable, user: cfg.mariadb.cdcUser, serverId: cfg.mariadb.serverId + 1000, bootstrapServers: kafka.bootstrapServers }),
              secrets: { "database.password": password("mariadbCdcPassword") },
              dependsOn: [...mariadb.readiness],
            }
          : {
              definition: jdbcSource({ ...sourceTable, user: cfg.mariadb.user, incrementingColumn: source.incrementingColumn }),
              secrets: { "connection.password": password("mariadbPassword") },
              dependsOn: [...mariadb.readiness],
            },
      );
    }
    if (cfg.connectors.fileSink.enabled) {
      this.sinkFile = cfg.connectors.fileSink.file;
      definitions.push({ definition: fileSink({ topic: this.topic, file: cfg.connectors.fileSink.file }), secrets: {}, dependsOn: [] });
    }
    const connectors = definitions.map(
      ({ definition, secrets, dependsOn }) =>
        new Connector(
          definition.name,
          {
            connectUrl: this.connectRestUrl ?? connect.internalUrl,
            name: definition.name,
            config: definition.config,
            secretConfig: Object.keys(secrets).length ? secrets : undefined,
            readyTimeoutSeconds: cfg.connectors.readyTimeoutSeconds,
          },
          { parent: this, dependsOn: [...connect.readiness, ...dependsOn] },
        ),
    );
    this.connectorStates = pulumi
      .all(connectors.map((c) => pulumi.all([c.name, c.state])))
      .apply((pairs) => Object.fromEntries(pairs));

    const spark = new SparkCluster(
      "spark",
      {
        target,
        image: cfg.images.spark,
        masterHeapMb: cfg.spark.masterHeapMb,
        workers: cfg.spark.workers.count,
        workerCores: cfg.spark.workers.cores,
        workerMemoryMb: cfg.spark.workers.memoryMb,
        uiPort: cfg.dashboards.sparkUi.enabled ? cfg.dashboards.sparkUi.port : undefined,
        masterPlacement: pinnedPlacements(cfg.nodes, cfg.spark.masterPlacement, 1)[0],
        workerPlacement: spreadPlacement(cfg.nodes, cfg.spark.workers.placement, cfg.spark.workers.count),
        dataVolume: cfg.benchmark.enabled ? sparkDataVolume : undefined,
      },
      { parent: this },
    );
    this.sparkMasterUrl = spark.masterUrl;

    if (cfg.benchmark.enabled) {
      const b = cfg.benchmark;
      const w = cfg.spark.workers;
      this.benchmark = new BenchmarkJob(
        "benchmark",
        {
          target,
          image: cfg.images.spark,
          sources: args.jobSources,
          sizesMb: b.sizesMb,
          seed: b.seed,
          masterUrl: spark.masterUrl,
          workers: w.count,
          workerCores: w.cores,
          executorMemoryMb: w.memoryMb,
          localCores: b.localCores ?? w.count * w.cores,
          driverMemoryMb: b.driverMemoryMb,
          timeoutMinutes: b.timeoutMinutes,
          runId: b.runId,
          dataVolume: sparkDataVolume,
          // With the workers, whose node holds the data volume on targets where it is per node.
          placement: pinnedPlacements(cfg.nodes, w.placement, 1)[0],
          dependsOn: spark.readiness,
        },
        { parent: this },
      );
    }

    if (cfg.crawler.enabled) {
      new Crawler(
        "crawler",
        {
          target,
          image: cfg.images.crawler,
          databaseHost: mariadb.host,
          databasePort: mariadb.port,
          database: cfg.mariadb.database,
          table: cfg.mariadb.table,
          user: cfg.mariadb.user,
          password: password("mariadbPassword"),
          mode: cfg.crawler.mode,
          sources: cfg.crawler.sources,
          userAgent: cfg.crawler.userAgent,
          loadRowsPerSecond: cfg.crawler.loadRowsPerSecond,
          loadLocations: cfg.crawler.loadLocations,
          batchSize: cfg.crawler.batchSize,
          metricsPort: cfg.crawler.metricsPort,
          placement: spreadPlacement(cfg.nodes, cfg.crawler.placement, 1),
          resources: cfg.crawler.resources,
          // Rows written before the connectors run would still be captured, but a crawler that
          // starts last proves the whole path is ready.
          dependsOn: [...mariadb.readiness, ...connectors],
        },
        { parent: this },
      );
    }

    const schemaRegistry = cfg.schemaRegistry.enabled
      ? new SchemaRegistry(
          "schema-registry",
          {
            target,
            image: cfg.images.schemaRegistry,
            bootstrapServers: kafka.bootstrapServers,
            heapMb: cfg.schemaRegistry.heapMb,
            publishedPort: cfg.schemaRegistry.port ?? undefined,
            replicationFactor: cfg.kafka.defaultReplicationFactor,
            dependsOn: kafka.readiness,
          },
          { parent: this },
        )
      : undefined;
    if (cfg.restProxy.enabled) {
      new RestProxy(
        "rest-proxy",
        {
          target,
          image: cfg.images.restProxy,
          bootstrapServers: kafka.bootstrapServers,
          heapMb: cfg.restProxy.heapMb,
          publishedPort: cfg.restProxy.port ?? undefined,
          schemaRegistryUrl: schemaRegistry?.internalUrl,
          dependsOn: [...kafka.readiness, ...(schemaRegistry?.readiness ?? [])],
        },
        { parent: this },
      );
    }

    const ui = cfg.dashboards.kafkaUi;
    this.dashboards = new Dashboards(
      "dashboards",
      {
        target,
        kafkaUi: ui.enabled
          ? {
              image: cfg.images.kafkaUi,
              bootstrapServers: kafka.bootstrapServers,
              connectUrl: connect.internalUrl,
              schemaRegistryUrl: schemaRegistry?.internalUrl,
              topicsPort: ui.topicsPort,
              connectPort: ui.connectPort,
              dependsOn: [...kafka.readiness, ...connect.readiness],
            }
          : undefined,
        sparkUiPort: cfg.dashboards.sparkUi.enabled ? cfg.dashboards.sparkUi.port : undefined,
      },
      { parent: this },
    );

    this.registerOutputs({
      mariadbJdbcUrl: this.mariadbJdbcUrl,
      kafkaBootstrapServers: this.kafkaBootstrapServers,
      topic: this.topic,
      connectorStates: this.connectorStates,
      sparkMasterUrl: this.sparkMasterUrl,
    });
  }
}
