import * as pulumi from "@pulumi/pulumi";
import type { Target } from "../model/target";
import type { PlatformConfig } from "../config/load";
import { sparkUiPort } from "../config/derived";

export interface DashboardsArgs {
  readonly target: Target;
  /** Kafka + Connect web UI (kafbat/kafka-ui); off when undefined. */
  readonly kafkaUi?: {
    readonly image: string;
    readonly bootstrapServers: string;
    readonly connectUrl: string;
    readonly schemaRegistryUrl?: string;
    /** The paper's topics dashboard port. */
    readonly topicsPort: number;
    /** The paper's Connect UI port: the same UI, opened on its connectors page. */
    readonly connectPort: number;
    readonly dependsOn?: readonly pulumi.Resource[];
  };
  /** Host port of the Spark master UI when it is published. */
  readonly sparkUiPort?: number;
}

const clusterName = "platform";
const kafkaUiPort = 8080;

/** The platform's web dashboards and their URLs. */
export class Dashboards extends pulumi.ComponentResource {
  readonly kafkaTopicsUrl?: string;
  readonly kafkaConnectUrl?: string;
  readonly sparkUrl?: string;

  constructor(name: string, args: DashboardsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bigdata:platform:Dashboards", name, {}, opts);
    const ui = args.kafkaUi;
    if (ui !== undefined) {
      args.target.deploy(
        {
          name: "kafka-ui",
          component: "dashboards",
          image: ui.image,
          env: {
            KAFKA_CLUSTERS_0_NAME: clusterName,
            KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS: ui.bootstrapServers,
            KAFKA_CLUSTERS_0_KAFKACONNECT_0_NAME: "connect",
            KAFKA_CLUSTERS_0_KAFKACONNECT_0_ADDRESS: ui.connectUrl,
            ...(ui.schemaRegistryUrl ? { KAFKA_CLUSTERS_0_SCHEMAREGISTRY: ui.schemaRegistryUrl } : {}),
            DYNAMIC_CONFIG_ENABLED: "false",
            JAVA_OPTS: "-Xms128m -Xmx256m",
          },
          ports: [
            { name: "topics", containerPort: kafkaUiPort, published: ui.topicsPort },
            { name: "connect", containerPort: kafkaUiPort, published: ui.connectPort },
          ],
          healthcheck: {
            shell: `wget -q -O /dev/null http://localhost:${kafkaUiPort}/actuator/health`,
            intervalSeconds: 10,
            timeoutSeconds: 5,
            retries: 30,
            startPeriodSeconds: 20,
          },
        },
        { parent: this, dependsOn: ui.dependsOn },
      );
      this.kafkaTopicsUrl = args.target.publishedUrl(ui.topicsPort, `/ui/clusters/${clusterName}/all-topics`);
      this.kafkaConnectUrl = args.target.publishedUrl(ui.connectPort, `/ui/clusters/${clusterName}/connectors`);
    }
    if (args.sparkUiPort !== undefined) this.sparkUrl = args.target.publishedUrl(args.sparkUiPort);
    this.registerOutputs({ kafkaTopicsUrl: this.kafkaTopicsUrl, kafkaConnectUrl: this.kafkaConnectUrl, sparkUrl: this.sparkUrl });
  }
}

/** The dashboards as the stack config describes them, for the given Kafka cluster and Connect workers. */
export function dashboardsArgs(
  cfg: PlatformConfig,
  target: Target,
  kafka: { readonly bootstrapServers: string; readonly readiness: readonly pulumi.Resource[] },
  connect: { readonly internalUrl: string; readonly readiness: readonly pulumi.Resource[] },
  schemaRegistry?: { readonly internalUrl: string },
): DashboardsArgs {
  const ui = cfg.dashboards.kafkaUi;
  return {
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
    sparkUiPort: sparkUiPort(cfg),
  };
}
