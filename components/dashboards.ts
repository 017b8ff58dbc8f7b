import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Target } from "../model/target";
import type { FileSpec, PlacementSpec, ResourceSpec, VolumeSpec } from "../model/workload";
import type { PlatformConfig } from "../config/load";
import { sparkUiPort } from "../config/derived";
import { spreadPlacement } from "../model/placement";
import { type ConsoleTable6Row, consoleTable6Rows, type Table6Row } from "./benchmark-results";

/** The platform's own web console (console/README.md) on the paper's two dashboard ports. */
export interface ConsoleArgs {
  readonly image: string;
  /** Names the generated action token in state. */
  readonly namePrefix: string;
  /** The paper's topics dashboard port: the console's topics page. */
  readonly topicsPort: number;
  /** The paper's Connect UI port: the console's Connect page. */
  readonly connectPort: number;
  readonly bootstrapServers: string;
  readonly connectUrl: string;
  /** The Spark master's web UI inside the platform network (the console reads its `/json/`). */
  readonly sparkMasterUiUrl: string;
  /** The pipeline's topic, whose records the overview counts against the table's rows and the sink's lines. */
  readonly topic: string;
  /** The table whose rows the overview counts, read with the application user's password (a secret file). */
  readonly mariadb: {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly user: string;
    readonly table: string;
    readonly password: pulumi.Input<string>;
  };
  /** The file sink's output, read through a read-only mount of the Connect worker's volume; no sink count when undefined. */
  readonly sink?: { readonly file: string; readonly volume: VolumeSpec };
  /** The benchmark's Table 6, charted on the overview; undefined when the benchmark is off. */
  readonly table6?: pulumi.Input<readonly ConsoleTable6Row[]>;
  /** Connector restart, pause and resume, each confirmed with a generated token (a secret); read-only when false. */
  readonly actionsEnabled: boolean;
  readonly placement?: PlacementSpec;
  readonly resources: ResourceSpec;
  readonly dependsOn?: readonly pulumi.Resource[];
}

export interface DashboardsArgs {
  readonly target: Target;
  /** The platform's console; off when undefined. */
  readonly console?: ConsoleArgs;
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
/** The console's two ports inside its container: one per published port, as Docker reorders two bindings of one port. */
const consoleTopicsContainerPort = 8080;
const consoleConnectContainerPort = 8081;
const consoleTokenFile = "/run/secrets/console-token";
const consoleMariaDbPasswordFile = "/run/secrets/console-mariadb-password";
/** Written at start from the variable below; /tmp is the console user's one writable place. */
const consoleTable6File = "/tmp/table6.json";
/** Not a CONSOLE_* name: the console refuses variables it does not know. */
const table6RowsVariable = "BIGDATA_TABLE6_ROWS";

/** The platform's web dashboards and their URLs. */
export class Dashboards extends pulumi.ComponentResource {
  /** The topics dashboard (the console's topics page, or kafka-ui's topics). */
  readonly kafkaTopicsUrl?: string;
  /** The Connect dashboard (the console's Connect page, or kafka-ui's connectors). */
  readonly kafkaConnectUrl?: string;
  /** The console's pipeline overview. */
  readonly consoleUrl?: string;
  /** What confirms the console's connector actions, when they are enabled. */
  readonly consoleToken?: pulumi.Output<string>;
  readonly sparkUrl?: string;

  constructor(name: string, args: DashboardsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bigdata:platform:Dashboards", name, {}, opts);
    const c = args.console;
    if (c !== undefined) {
      this.consoleToken = this.deployConsole(args.target, c);
      this.consoleUrl = args.target.publishedUrl(c.topicsPort, "/");
      this.kafkaTopicsUrl = args.target.publishedUrl(c.topicsPort, "/topics");
      this.kafkaConnectUrl = args.target.publishedUrl(c.connectPort, "/connect");
    }
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
    this.registerOutputs({
      kafkaTopicsUrl: this.kafkaTopicsUrl,
      kafkaConnectUrl: this.kafkaConnectUrl,
      consoleUrl: this.consoleUrl,
      consoleToken: this.consoleToken,
      sparkUrl: this.sparkUrl,
    });
  }

  /** Deploys the console; returns its action token when actions are enabled. */
  private deployConsole(target: Target, c: ConsoleArgs): pulumi.Output<string> | undefined {
    const token = c.actionsEnabled
      ? pulumi.secret(new random.RandomPassword(`${c.namePrefix}-console-token`, { length: 32, special: false }, { parent: this }).result)
      : undefined;
    const files: FileSpec[] = [
      { path: consoleMariaDbPasswordFile, content: c.mariadb.password, secret: true, mode: "0444" },
      ...(token === undefined ? [] : [{ path: consoleTokenFile, content: token, secret: true, mode: "0444" }]),
    ];
    const env: Record<string, pulumi.Input<string>> = {
      CONSOLE_HTTP_PORT: String(consoleTopicsContainerPort),
      CONSOLE_SECOND_HTTP_PORT: String(consoleConnectContainerPort),
      CONSOLE_KAFKA_BOOTSTRAP_SERVERS: c.bootstrapServers,
      CONSOLE_CONNECT_URL: c.connectUrl,
      CONSOLE_SPARK_MASTER_URL: c.sparkMasterUiUrl,
      CONSOLE_PIPELINE_TOPIC: c.topic,
      CONSOLE_MARIADB_HOST: c.mariadb.host,
      CONSOLE_MARIADB_PORT: String(c.mariadb.port),
      CONSOLE_MARIADB_DATABASE: c.mariadb.database,
      CONSOLE_MARIADB_USER: c.mariadb.user,
      CONSOLE_MARIADB_TABLE: c.mariadb.table,
      CONSOLE_MARIADB_PASSWORD_FILE: consoleMariaDbPasswordFile,
      CONSOLE_ACTIONS_ENABLED: String(c.actionsEnabled),
      ...(token === undefined ? {} : { CONSOLE_TOKEN_FILE: consoleTokenFile }),
      ...(c.sink === undefined ? {} : { CONSOLE_SINK_FILE: c.sink.file }),
      ...(c.table6 === undefined
        ? {}
        : {
            CONSOLE_TABLE6_FILE: consoleTable6File,
            [table6RowsVariable]: pulumi.output(c.table6).apply((rows) => JSON.stringify(rows)),
          }),
    };
    target.deploy(
      {
        name: "console",
        component: "dashboards",
        image: c.image,
        // Table 6 travels in the environment, written to the console's file at start: a new table is then a plain
        // update of the workload on every target (a swarm config replaced under the running console was refused by
        // swarm while the service still used it, and a ConfigMap's subPath file never changes in a running pod).
        command:
          c.table6 === undefined
            ? undefined
            : ["sh", "-c", `printf '%s' "$${table6RowsVariable}" > ${consoleTable6File} && exec python3 -m bigdata_console`],
        env,
        files,
        ports: [
          { name: "topics", containerPort: consoleTopicsContainerPort, published: c.topicsPort },
          { name: "connect", containerPort: consoleConnectContainerPort, published: c.connectPort },
        ],
        volumes: c.sink === undefined ? [] : [c.sink.volume],
        healthcheck: {
          // 200 while the process serves, whatever the backends' state: a console is most useful when they are down.
          shell: "python3 -m bigdata_console.healthcheck",
          intervalSeconds: 10,
          timeoutSeconds: 5,
          retries: 12,
          startPeriodSeconds: 10,
        },
        placement: c.placement,
        resources: c.resources,
        stopGracePeriodSeconds: 10,
      },
      { parent: this, dependsOn: c.dependsOn },
    );
    return token;
  }
}

/** The dashboards as the stack config describes them, for the given platform parts. */
export function dashboardsArgs(
  cfg: PlatformConfig,
  target: Target,
  parts: {
    readonly kafka: { readonly bootstrapServers: string; readonly readiness: readonly pulumi.Resource[] };
    readonly connect: {
      readonly internalUrl: string;
      readonly readiness: readonly pulumi.Resource[];
      /** The workload and volume the file sink writes into, when one worker holds it. */
      readonly sinkVolume?: { readonly workload: string; readonly volume: VolumeSpec };
    };
    readonly sparkMasterUiUrl: string;
    readonly topic: string;
    readonly mariadb: { readonly host: string; readonly port: number; readonly password: pulumi.Input<string> };
    readonly table6?: pulumi.Output<Table6Row[] | undefined>;
    readonly schemaRegistry?: { readonly internalUrl: string };
  },
): DashboardsArgs {
  const ui = cfg.dashboards.kafkaUi;
  const con = cfg.dashboards.console;
  const { kafka, connect } = parts;
  // The console sees the sink's file where the target lets it mount the worker's volume, and one worker writes it.
  const sinkVolume = cfg.connectors.fileSink.enabled && target.mountsVolumesOfOtherWorkloads ? connect.sinkVolume : undefined;
  return {
    target,
    console: con.enabled
      ? {
          image: cfg.images.console,
          namePrefix: cfg.namePrefix,
          topicsPort: con.topicsPort,
          connectPort: con.connectPort,
          bootstrapServers: kafka.bootstrapServers,
          connectUrl: connect.internalUrl,
          sparkMasterUiUrl: parts.sparkMasterUiUrl,
          topic: parts.topic,
          mariadb: { ...parts.mariadb, database: cfg.mariadb.database, user: cfg.mariadb.user, table: cfg.mariadb.table },
          sink:
            sinkVolume === undefined
              ? undefined
              : {
                  file: cfg.connectors.fileSink.file,
                  volume: { ...sinkVolume.volume, ownedBy: sinkVolume.workload, readOnly: true },
                },
          table6: parts.table6?.apply((rows) => consoleTable6Rows(rows ?? [])),
          actionsEnabled: con.actionsEnabled,
          // Stateless: any node with its labels (pinned only where one node has them).
          placement: spreadPlacement(cfg.nodes, con.placement, 1),
          resources: con.resources,
          // Its pages say what is down, so it needs nothing up first; after Connect, the first page is a full one.
          dependsOn: connect.readiness,
        }
      : undefined,
    kafkaUi: ui.enabled
      ? {
          image: cfg.images.kafkaUi,
          bootstrapServers: kafka.bootstrapServers,
          connectUrl: connect.internalUrl,
          schemaRegistryUrl: parts.schemaRegistry?.internalUrl,
          topicsPort: ui.topicsPort,
          connectPort: ui.connectPort,
          dependsOn: [...kafka.readiness, ...connect.readiness],
        }
      : undefined,
    sparkUiPort: sparkUiPort(cfg),
  };
}
