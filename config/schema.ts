import { z } from "zod";
import { dockerEndpoint, DOCKER_HOST_FORMS } from "../model/docker-host";

/**
 * The one schema of the stack configuration (`bigdata:*` keys in Pulumi.<stack>.yaml).
 * Every object is strict so that a misspelt key is reported instead of silently ignored.
 * Defaults describe the `dev` stack, so Pulumi.dev.yaml stays short.
 * Cross-field rules live in `rules.ts`; passwords live in their own top-level secret keys (`load.ts`).
 * Each target owns its section (`docker`, `kubernetes`) and its rules (targets/<kind>/settings.ts):
 * `composeConfigSchema` puts them together with the sections every target shares.
 */

export const dnsLabel = z
  .string()
  .regex(
    /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/,
    "must be a DNS label: lower-case letters, digits and '-', 1-40 characters, starting with a letter",
  );

const port = z.number().int().min(1).max(65535);
export const positiveInt = z.number().int().positive();
const labels = z.record(z.string().min(1), z.string());

/** Published host port of a service: a number, or `null` to keep the service inside the platform network. */
const publishedPort = port.nullable();

/** Node labels a workload must run on (swarm placement constraints / Kubernetes nodeSelector). */
const placement = labels.default({}).describe("Node labels the service must run on (swarm constraints, Kubernetes nodeSelector).");

const resources = z
  .strictObject({
    cpus: z.number().positive().optional().describe("CPU limit (cores)."),
    memoryMb: positiveInt.optional().describe("Memory in MB."),
  })
  .prefault({});

/** Schema Registry and REST Proxy: the paper's optional Confluent services, off by default. */
const optionalConfluentService = (defaultPort: number) =>
  z
    .strictObject({
      enabled: z.boolean().default(false).describe("Turns this part on or off."),
      image: z.string().min(1).optional().describe("Image override; the imageSet's pinned default when unset."),
      port: publishedPort.default(defaultPort).describe("Host port it is published on; `null` keeps it inside the platform network."),
      heapMb: positiveInt.default(256).describe("JVM heap in MB (set explicitly: -Xms = -Xmx)."),
    })
    .prefault({});

export const imageSetSchema = z.enum(["official", "local"]);

function pollableDockerHost(host: string): boolean {
  try {
    dockerEndpoint(host);
    return true;
  } catch {
    return false;
  }
}

export const nodeSchema = z.strictObject({
  name: z.string().min(1).describe("Node name (its hostname in the swarm, its name in Kubernetes)."),
  labels: labels.default({}).describe("Node labels, as placement refers to them."),
  cpus: z.number().positive().optional().describe("CPU limit (cores)."),
  memoryMb: positiveInt.optional().describe("Memory in MB."),
  dockerHost: z
    .string()
    .refine(pollableDockerHost, `must be ${DOCKER_HOST_FORMS} (TLS and ssh:// are not supported: tunnel them to one of these)`)
    .optional()
    .describe(
      "Docker API of the node (e.g. tcp://10.0.0.12:2375): the volumes of services pinned there are created there, and removed on destroy once the node has stopped the services' containers.",
    ),
  address: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Host name or address where this node's published ports are reached; a Kafka broker pinned here advertises it as its external listener. publicHost when unset.",
    ),
});

export const sourceConnectorKinds = ["debezium-mariadb", "jdbc"] as const;
export const connectPluginKinds = ["file", "debezium-mariadb", "jdbc"] as const;

const crawlerSourceSchema = z.strictObject({
  name: z.string().min(1).describe("Name of the source, stored in the rows' `source` column; unique among the sources."),
  url: z.string().url().describe("Page address."),
  intervalSeconds: z.number().positive().default(3).describe("Seconds between fetches of this page."),
  parser: z.string().min(1).optional().describe("A named parser shipped with the crawler."),
  selectors: z
    .record(z.string(), z.string())
    .optional()
    .describe("CSS selector per field (observedAt, location, temperature, pm10, pm25, ozone)."),
});

/** The sections every target shares. */
export const commonConfigSchema = z.strictObject({
  namePrefix: dnsLabel.optional().describe("Prefix of every container, service, volume and network name; defaults to `bigdata-<stack>`."),
  imageSet: imageSetSchema
    .default("official")
    .describe("`official`: pinned public images; `local`: images built here by bootstrap/docker/images.sh."),
  publicHost: z
    .string()
    .min(1)
    .default("localhost")
    .describe("Host name or address where published ports are reached from outside (used in URLs and Kafka's external listener)."),

  nodes: z
    .array(nodeSchema)
    .default([])
    .describe("Nodes of a swarm or Kubernetes cluster, with the labels placement refers to and their size."),

  mariadb: z
    .strictObject({
      image: z.string().min(1).optional().describe("Image override; the imageSet's pinned default when unset."),
      database: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "must be a SQL identifier")
        .default("testdb")
        .describe("Database the crawler writes to (the paper's `testdb`)."),
      user: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/, "must be a SQL user name")
        .default("crawler")
        .describe("Application user owning the database (the crawler and a JDBC source log in as it)."),
      table: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "must be a SQL identifier")
        .default("test")
        .describe("The crawler's table (the paper's `test`); the topic is connectors.source.topicPrefix + table."),
      cdcUser: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/, "must be a SQL user name")
        .default("cdc")
        .describe("User with replication grants the CDC connector reads the binlog with."),
      serverId: positiveInt.default(1).describe("Binlog server id of MariaDB; the CDC connector uses serverId + 1000."),
      port: publishedPort.default(3306).describe("Host port it is published on; `null` keeps it inside the platform network."),
      placement,
      resources,
    })
    .prefault({}),

  kafka: z
    .strictObject({
      image: z.string().min(1).optional().describe("Image override; the imageSet's pinned default when unset."),
      controllers: z
        .number()
        .int()
        .min(0)
        .default(0)
        .describe("Dedicated KRaft controllers; 0 runs combined broker+controller nodes (the brokers are the quorum)."),
      brokers: positiveInt.default(1).describe("Number of Kafka brokers, each with a stable name kafka-<i>."),
      heapMb: positiveInt.default(512).describe("JVM heap in MB (set explicitly: -Xms = -Xmx)."),
      partitions: positiveInt.default(3).describe("Partitions of auto-created topics (the connector's topic)."),
      defaultReplicationFactor: positiveInt.default(1).describe("Replication factor of topics, also of Kafka's internal topics."),
      minInsyncReplicas: positiveInt.default(1).describe("min.insync.replicas of the brokers."),
      externalPortBase: publishedPort
        .default(19092)
        .describe("Per-broker listener published on the host for clients outside the platform network: broker i gets portBase+i-1."),
      brokerPlacement: placement.describe("Node labels brokers run on; each broker is pinned to one matching node, round-robin."),
      controllerPlacement: placement.describe("Node labels dedicated controllers run on; one controller per matching node."),
      resources,
    })
    .prefault({}),

  kafkaConnect: z
    .strictObject({
      image: z.string().min(1).optional().describe("Image override; the imageSet's pinned default when unset."),
      workers: positiveInt.default(1).describe("Number of distributed Connect workers in one group."),
      groupId: z.string().min(1).default("connect-cluster").describe("Connect group id; also names the config, offset and status topics."),
      heapMb: positiveInt.default(512).describe("JVM heap in MB (set explicitly: -Xms = -Xmx)."),
      internalTopicReplicationFactor: positiveInt.default(1).describe("Replication factor of Connect's config, offset and status topics."),
      plugins: z
        .array(z.enum(connectPluginKinds))
        .default(["file", "debezium-mariadb"])
        .describe("Plugin kinds the Connect image carries (the image built here carries `file` and `debezium-mariadb`)."),
      restPort: publishedPort
        .default(8083)
        .describe("Host port of the REST API, which `pulumi up` uses to manage connectors; `null` keeps it internal."),
      adminUrl: z
        .string()
        .url()
        .optional()
        .describe("REST URL as seen from where `pulumi` runs, when it differs from http://<publicHost>:<restPort>."),
      placement,
      resources,
    })
    .prefault({}),

  connectors: z
    .strictObject({
      source: z
        .strictObject({
          enabled: z.boolean().default(true).describe("Turns this part on or off."),
          kind: z
            .enum(sourceConnectorKinds)
            .default("debezium-mariadb")
            .describe("Source connector: Debezium CDC from the binlog (default) or the paper's Confluent JDBC source."),
          topicPrefix: z
            .string()
            .regex(/^[A-Za-z0-9._-]+$/, "must use only letters, digits, '.', '_' and '-'")
            .default("web-crawler-")
            .describe("As in the paper: topic = topicPrefix + table, e.g. `web-crawler-test`."),
          tasksMax: positiveInt.default(1).describe("tasks.max of the JDBC source (Debezium always runs one task)."),
          incrementingColumn: z.string().min(1).default("id").describe("JDBC kind only: the column the `incrementing` mode follows."),
        })
        .prefault({}),
      fileSink: z
        .strictObject({
          enabled: z.boolean().default(true).describe("Turns this part on or off."),
          file: z
            .string()
            .regex(/^\/[^\0]+\/[^/\0]+$/, "must be an absolute file path below a directory, e.g. /var/lib/connect-sink/weather.txt")
            .default("/var/lib/connect-sink/weather.txt")
            .describe("Path inside the Connect worker; its directory is a persistent volume."),
        })
        .prefault({}),
      readyTimeoutSeconds: positiveInt.default(300).describe("How long `pulumi up` waits for a connector and all its tasks to be RUNNING."),
    })
    .prefault({}),

  schemaRegistry: optionalConfluentService(8081),

  restProxy: optionalConfluentService(8082),

  spark: z
    .strictObject({
      image: z.string().min(1).optional().describe("Image override; the imageSet's pinned default when unset."),
      masterHeapMb: positiveInt.default(512).describe("Heap of the Spark master daemon in MB."),
      masterPlacement: placement.describe("Node labels the Spark master runs on (pinned to one matching node)."),
      workers: z
        .strictObject({
          count: z
            .number()
            .int()
            .min(0)
            .default(2)
            .describe("Number of Spark workers; their UIs are not published, so scaling never collides on host ports."),
          cores: positiveInt.default(1).describe("Cores each worker offers to executors."),
          memoryMb: positiveInt.default(1024).describe("Memory in MB."),
          placement,
        })
        .prefault({}),
    })
    .prefault({}),

  benchmark: z
    .strictObject({
      enabled: z
        .boolean()
        .default(false)
        .describe(
          "Runs the paper's Table 6 benchmark during `pulumi up`: the weather job on generated datasets in Spark local mode and in cluster mode; again only when its inputs change.",
        ),
      sizesMb: z
        .array(z.number().positive().max(1_000_000))
        .min(1)
        .default([870, 4400])
        .describe(
          "Dataset sizes in MB (10^6 bytes), one Table 6 row each; by default the sizes of the paper's weather_1 (0.87 GB) and of all four weekly parts (4.4 GB); every dataset spans the whole month.",
        ),
      seed: z.number().int().min(0).default(1).describe("Seed of the generated datasets: the same seed and size give the same bytes."),
      localCores: positiveInt
        .optional()
        .describe(
          "Cores of the local-mode run (`local[N]` and its container's CPU limit); by default the cluster's, spark.workers.count × spark.workers.cores, so both modes get the same cores.",
        ),
      driverMemoryMb: positiveInt.default(1024).describe("Heap of the driver in MB (in local mode the driver runs every task)."),
      timeoutMinutes: positiveInt.default(30).describe("Longest each run (local, then cluster) may take before `pulumi up` fails."),
      runId: z.string().default("").describe("Any text; changing it runs the benchmark again although nothing else changed."),
    })
    .prefault({}),

  crawler: z
    .strictObject({
      enabled: z.boolean().default(true).describe("Turns this part on or off."),
      image: z.string().min(1).optional().describe("Image override; the imageSet's pinned default when unset."),
      mode: z
        .enum(["crawl", "load"])
        .default("crawl")
        .describe("`crawl` parses the configured pages; `load` writes synthetic observations (source `synthetic:*`)."),
      sources: z
        .array(crawlerSourceSchema)
        .default([])
        .describe("Pages to crawl: name, url, intervalSeconds, and a parser name or CSS selectors per field."),
      userAgent: z.string().min(1).default("bigdata-platform-crawler/0.1").describe("User-Agent header of the crawler's requests."),
      loadRowsPerSecond: positiveInt.default(10).describe("Rows per second written in load mode."),
      loadLocations: positiveInt.default(25).describe("Distinct synthetic locations in load mode."),
      batchSize: positiveInt.default(500).describe("Rows per multi-row INSERT."),
      metricsPort: port
        .default(9464)
        .describe("Health and metrics endpoint inside the platform network (the healthcheck uses it; never published)."),
      placement,
      resources,
    })
    .prefault({}),

  notebook: z
    .strictObject({
      enabled: z
        .boolean()
        .default(false)
        .describe(
          "JupyterLab whose PySpark sessions run on the Spark cluster (client mode), with a sample notebook of the topic's hourly aggregates.",
        ),
      image: z.string().min(1).optional().describe("Image override; the imageSet's pinned default when unset."),
      port: port
        .default(8888)
        .describe(
          "Host port JupyterLab is published on (on the docker target bound to docker.publishAddress, loopback by default); log in with the stack output notebookToken.",
        ),
      coresMax: positiveInt
        .default(1)
        .describe("spark.cores.max of the notebook's sessions: the cluster cores one notebook may hold, so it cannot take every core."),
      executorMemoryMb: positiveInt
        .default(512)
        .describe("spark.executor.memory of the notebook's sessions in MB; must fit in spark.workers.memoryMb."),
      driverMemoryMb: positiveInt.default(512).describe("Heap of the notebook's Spark driver (inside the kernel's JVM) in MB."),
      driverPort: port
        .default(7078)
        .describe(
          "spark.driver.port: the fixed port executors connect back to the driver on (the notebook's name on the platform network).",
        ),
      blockManagerPort: port.default(7079).describe("spark.blockManager.port of the driver, fixed for the same reason."),
      placement,
      resources,
    })
    .prefault({}),

  dashboards: z
    .strictObject({
      console: z
        .strictObject({
          enabled: z
            .boolean()
            .default(true)
            .describe(
              "The platform's web console (console/README.md): Kafka topics, consumer lag and messages; Kafka Connect connectors and tasks; the pipeline's counts, Spark and the benchmark's Table 6.",
            ),
          image: z.string().min(1).optional().describe("Image override; the imageSet's pinned default when unset."),
          topicsPort: port
            .default(8000)
            .describe("The paper's topics dashboard port: the console's topics page (stack output dashboards.kafkaTopics)."),
          connectPort: port
            .default(8003)
            .describe("The paper's Connect UI port: the console's Connect page (stack output dashboards.kafkaConnect)."),
          actionsEnabled: z
            .boolean()
            .default(false)
            .describe(
              "Connector restart, pause and resume from the Connect page, each confirmed with the token of the stack output consoleToken (a secret); read-only when false.",
            ),
          placement,
          resources: z
            .strictObject({
              cpus: z.number().positive().default(0.5).describe("CPU limit (cores)."),
              memoryMb: positiveInt.default(192).describe("Memory in MB."),
            })
            .prefault({}),
        })
        .prefault({}),
      kafkaUi: z
        .strictObject({
          enabled: z
            .boolean()
            .default(false)
            .describe(
              "kafbat/kafka-ui on the same two ports instead of the console (turn dashboards.console off); only with imageSet official, as no registry reachable here has it.",
            ),
          image: z.string().min(1).optional().describe("Image override; the imageSet's pinned default when unset."),
          topicsPort: port.default(8000).describe("The paper's topics dashboard port."),
          connectPort: port.default(8003).describe("The paper's Connect UI port (the same UI, opened on its connectors page)."),
        })
        .prefault({}),
      sparkUi: z
        .strictObject({
          enabled: z.boolean().default(true).describe("Turns this part on or off."),
          port: port
            .default(8080)
            .describe("Host port the Spark master's UI is published on; `enabled: false` keeps it inside the platform network."),
        })
        .prefault({}),
    })
    .prefault({}),
});

/** What the schema needs to know of a target: its kind, and its own section when it has settings. */
export interface TargetSection {
  readonly kind: string;
  /** What it deploys onto, for the reference, e.g. "one Docker host". */
  readonly summary: string;
  /** Read from the key named like the kind (`bigdata:kubernetes`); absent when the target has no settings of its own. */
  readonly settings?: z.ZodObject;
}

/** The whole schema: `target`, the shared sections, and one section per target that has settings, after `publicHost`. */
export function composeConfigSchema(targets: readonly TargetSection[]) {
  const kinds = targets.map((t) => t.kind);
  if (kinds.length === 0) throw new Error("no target is registered");
  const sections = Object.fromEntries(targets.flatMap((t) => (t.settings ? [[t.kind, t.settings.prefault({})]] : [])));
  const { namePrefix, imageSet, publicHost, ...rest } = commonConfigSchema.shape;
  return z.strictObject({
    target: z
      .enum(kinds as [string, ...string[]])
      .describe(`Where the platform runs: ${targets.map((t) => `\`${t.kind}\` (${t.summary})`).join(", ")}.`),
    namePrefix,
    imageSet,
    publicHost,
    ...sections,
    ...rest,
  });
}

/** Validated, defaulted stack configuration shared by every target, with the chosen target's kind and settings (passwords are separate secret keys: see `load.ts`). */
export type ParsedPlatformConfig = z.output<typeof commonConfigSchema> & {
  readonly target: string;
  /** The chosen target's own section, validated by its schema; `undefined` for a target without settings. */
  readonly targetSettings: unknown;
};
export type ImageSet = z.output<typeof imageSetSchema>;
