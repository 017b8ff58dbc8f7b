import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config/load";
import type { TargetFactory } from "../model/target";
import { Connector } from "../providers/kafka-connect";
import { BenchmarkJob, benchmarkJobArgs, type JobSources } from "./benchmark-job";
import { RestProxy, restProxyArgs, SchemaRegistry, schemaRegistryArgs } from "./confluent-services";
import { connectorsOf, sourceTableOf, topicOf } from "./connector-configs";
import { Crawler, crawlerArgs } from "./crawler";
import { Dashboards, dashboardsArgs } from "./dashboards";
import { KafkaCluster, kafkaClusterArgs } from "./kafka-cluster";
import { KafkaConnect, kafkaConnectArgs } from "./kafka-connect";
import { MariaDb, mariaDbArgs } from "./mariadb";
import { Notebook, notebookArgs, type NotebookFiles } from "./notebook";
import { platformPasswords } from "./passwords";
import { SparkCluster, sparkClusterArgs } from "./spark-cluster";

export interface PlatformArgs {
  /** The validated stack configuration. */
  readonly config: PlatformConfig;
  /** Builds the deployment target (docker, swarm or kubernetes) inside the platform. */
  readonly target: TargetFactory;
  /** DDL of the crawler's table with `{{table}}` for its name (crawler/schema/observations.sql). */
  readonly tableDdlTemplate: string;
  /** The Python sources of the benchmark job (jobs/). */
  readonly jobSources: JobSources;
  /** The sample notebook and the module it imports (notebooks/, jobs/weather_job.py). */
  readonly notebookFiles: NotebookFiles;
}

/**
 * The whole platform: crawler → MariaDB → Kafka Connect source → Kafka topic → file sink and Spark.
 * Each component's arguments are built next to it from the config; this class keeps the order and
 * the wiring. Readiness is explicit: MariaDB healthy and Kafka's quorum up → Connect REST up →
 * connectors and all their tasks RUNNING → crawler. Independent parts (Spark, dashboards) start in parallel.
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
  readonly notebook?: Notebook;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bigdata:platform:Platform", name, {}, opts);
    const cfg = args.config;
    const target = args.target(this);
    const passwords = platformPasswords(cfg, this);
    const child = { parent: this };

    const mariadb = new MariaDb("mariadb", mariaDbArgs(cfg, target, passwords, args.tableDdlTemplate), child);
    this.mariadbJdbcUrl = mariadb.jdbcUrl;
    this.mariadbPassword = passwords.mariadbPassword;

    const kafka = new KafkaCluster("kafka", kafkaClusterArgs(cfg, target), child);
    this.kafkaBootstrapServers = kafka.bootstrapServers;
    this.kafkaExternalBootstrapServers = kafka.externalBootstrapServers;

    const connect = new KafkaConnect("kafka-connect", kafkaConnectArgs(cfg, target, kafka), child);
    this.connectRestUrl =
      cfg.kafkaConnect.adminUrl ?? (cfg.kafkaConnect.restPort === null ? undefined : target.publishedUrl(cfg.kafkaConnect.restPort));

    const endpoints = { databaseHost: mariadb.host, databasePort: mariadb.port, bootstrapServers: kafka.bootstrapServers };
    this.topic = topicOf(sourceTableOf(cfg, endpoints));
    this.sinkFile = cfg.connectors.fileSink.enabled ? cfg.connectors.fileSink.file : undefined;
    const connectors = connectorsOf(cfg, endpoints).map(({ definition, readsDatabase }) => {
      const secretConfig = Object.fromEntries(Object.entries(definition.secrets).map(([key, password]) => [key, passwords[password]]));
      return new Connector(
        definition.name,
        {
          connectUrl: this.connectRestUrl ?? connect.internalUrl,
          name: definition.name,
          config: definition.config,
          secretConfig: Object.keys(secretConfig).length ? secretConfig : undefined,
          readyTimeoutSeconds: cfg.connectors.readyTimeoutSeconds,
        },
        { parent: this, dependsOn: [...connect.readiness, ...(readsDatabase ? mariadb.readiness : [])] },
      );
    });
    this.connectorStates = pulumi.all(connectors.map((c) => pulumi.all([c.name, c.state]))).apply((pairs) => Object.fromEntries(pairs));

    const spark = new SparkCluster("spark", sparkClusterArgs(cfg, target), child);
    this.sparkMasterUrl = spark.masterUrl;
    if (cfg.benchmark.enabled) {
      this.benchmark = new BenchmarkJob("benchmark", benchmarkJobArgs(cfg, target, args.jobSources, spark), child);
    }

    if (cfg.notebook.enabled) {
      this.notebook = new Notebook("notebook", notebookArgs(cfg, target, args.notebookFiles, spark, kafka, this.topic), child);
    }

    if (cfg.crawler.enabled) {
      // Rows written before the connectors run would still be captured, but a crawler that starts last
      // proves the whole path is ready.
      new Crawler("crawler", crawlerArgs(cfg, target, passwords, mariadb, [...mariadb.readiness, ...connectors]), child);
    }

    const schemaRegistry = cfg.schemaRegistry.enabled
      ? new SchemaRegistry("schema-registry", schemaRegistryArgs(cfg, target, kafka), child)
      : undefined;
    if (cfg.restProxy.enabled) new RestProxy("rest-proxy", restProxyArgs(cfg, target, kafka, schemaRegistry), child);

    this.dashboards = new Dashboards(
      "dashboards",
      dashboardsArgs(cfg, target, {
        kafka,
        connect,
        sparkMasterUiUrl: spark.masterUiUrl,
        topic: this.topic,
        mariadb: { host: mariadb.host, port: mariadb.port, password: passwords.mariadbPassword },
        table6: this.benchmark?.table6,
        schemaRegistry,
      }),
      child,
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
