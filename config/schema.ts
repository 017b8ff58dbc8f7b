import { z } from "zod";

/**
 * The one schema of the stack configuration (`bigdata:*` keys in Pulumi.<stack>.yaml).
 * Every object is strict so that a misspelt key is reported instead of silently ignored.
 * Defaults describe the `dev` stack, so Pulumi.dev.yaml stays short.
 * Cross-field rules live in `rules.ts`; secrets live in their own top-level keys (`secrets.ts`).
 */

const dnsLabel = z
  .string()
  .regex(/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/, "must be a DNS label: lower-case letters, digits and '-', 1-40 characters, starting with a letter");

const port = z.number().int().min(1).max(65535);
const positiveInt = z.number().int().positive();
const labels = z.record(z.string().min(1), z.string());

/** Published host port of a service: a number, or `null` to keep the service inside the platform network. */
const publishedPort = port.nullable();

/** Node labels a workload must run on (swarm placement constraints / Kubernetes nodeSelector). */
const placement = labels.default({});

const resources = z
  .strictObject({
    cpus: z.number().positive().optional(),
    memoryMb: positiveInt.optional(),
  })
  .prefault({});

export const imageSetSchema = z.enum(["official", "local"]);

export const nodeSchema = z.strictObject({
  name: z.string().min(1),
  labels: labels.default({}),
  cpus: z.number().positive().optional(),
  memoryMb: positiveInt.optional(),
  /** Docker API of the node (e.g. tcp://10.0.0.12:2375), so volumes pinned there are removed on destroy. */
  dockerHost: z.string().min(1).optional(),
});

export const sourceConnectorKinds = ["debezium-mariadb", "jdbc"] as const;
export const connectPluginKinds = ["file", "debezium-mariadb", "jdbc"] as const;

const crawlerSourceSchema = z.strictObject({
  name: z.string().min(1),
  url: z.string().url(),
  intervalSeconds: z.number().positive().default(3),
  parser: z.string().min(1).optional(),
  selectors: z.record(z.string(), z.string()).optional(),
});

export const platformConfigSchema = z.strictObject({
  /** Where the platform runs: one Docker host, a Docker Swarm, or a Kubernetes cluster. */
  target: z.enum(["docker", "swarm", "kubernetes"]),
  /** Prefix of every container, service, volume and network name; defaults to `bigdata-<stack>`. */
  namePrefix: dnsLabel.optional(),
  /** `official`: pinned public images; `local`: images built here by bootstrap/docker/images.sh. */
  imageSet: imageSetSchema.default("official"),
  /** Host name or address where published ports are reached from outside (used in URLs and Kafka's external listener). */
  publicHost: z.string().min(1).default("localhost"),

  docker: z
    .strictObject({
      /** Host address published ports bind to on the docker target; loopback keeps a dev stack private. */
      publishAddress: z.string().min(1).default("127.0.0.1"),
    })
    .prefault({}),

  kubernetes: z
    .strictObject({
      /** Namespace for every object; defaults to the name prefix. */
      namespace: dnsLabel.optional(),
      storageClass: z.string().min(1).optional(),
      volumeSizeGi: positiveInt.default(5),
    })
    .prefault({}),

  /** Nodes of a swarm or Kubernetes cluster, with the labels placement refers to and their size. */
  nodes: z.array(nodeSchema).default([]),

  mariadb: z
    .strictObject({
      image: z.string().min(1).optional(),
      database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "must be a SQL identifier").default("testdb"),
      user: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/, "must be a SQL user name").default("crawler"),
      table: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "must be a SQL identifier").default("test"),
      cdcUser: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/, "must be a SQL user name").default("cdc"),
      serverId: positiveInt.default(1),
      port: publishedPort.default(3306),
      placement,
      resources,
    })
    .prefault({}),

  kafka: z
    .strictObject({
      image: z.string().min(1).optional(),
      /** Dedicated KRaft controllers; 0 runs combined broker+controller nodes (the brokers are the quorum). */
      controllers: z.number().int().min(0).default(0),
      brokers: positiveInt.default(1),
      heapMb: positiveInt.default(512),
      partitions: positiveInt.default(3),
      defaultReplicationFactor: positiveInt.default(1),
      minInsyncReplicas: positiveInt.default(1),
      /** Per-broker listener published on the host for clients outside the platform network: broker i gets portBase+i-1. */
      externalPortBase: publishedPort.default(19092),
      brokerPlacement: placement,
      controllerPlacement: placement,
      resources,
    })
    .prefault({}),

  kafkaConnect: z
    .strictObject({
      image: z.string().min(1).optional(),
      workers: positiveInt.default(1),
      groupId: z.string().min(1).default("connect-cluster"),
      heapMb: positiveInt.default(512),
      internalTopicReplicationFactor: positiveInt.default(1),
      /** Plugin kinds the Connect image carries (the image built here carries `file` and `debezium-mariadb`). */
      plugins: z.array(z.enum(connectPluginKinds)).default(["file", "debezium-mariadb"]),
      /** Host port of the REST API, which `pulumi up` uses to manage connectors; `null` keeps it internal. */
      restPort: publishedPort.default(8083),
      /** REST URL as seen from where `pulumi` runs, when it differs from http://<publicHost>:<restPort>. */
      adminUrl: z.string().url().optional(),
      placement,
      resources,
    })
    .prefault({}),

  connectors: z
    .strictObject({
      source: z
        .strictObject({
          enabled: z.boolean().default(true),
          kind: z.enum(sourceConnectorKinds).default("debezium-mariadb"),
          /** As in the paper: topic = topicPrefix + table, e.g. `web-crawler-test`. */
          topicPrefix: z.string().regex(/^[A-Za-z0-9._-]+$/, "must use only letters, digits, '.', '_' and '-'").default("web-crawler-"),
          tasksMax: positiveInt.default(1),
          /** JDBC kind only: the column the `incrementing` mode follows. */
          incrementingColumn: z.string().min(1).default("id"),
        })
        .prefault({}),
      fileSink: z
        .strictObject({
          enabled: z.boolean().default(true),
          /** Path inside the Connect worker; its directory is a persistent volume. */
          file: z.string().regex(/^\/[^\0]+\/[^/\0]+$/, "must be an absolute file path below a directory, e.g. /var/lib/connect-sink/weather.txt").default("/var/lib/connect-sink/weather.txt"),
        })
        .prefault({}),
      readyTimeoutSeconds: positiveInt.default(300),
    })
    .prefault({}),

  schemaRegistry: z
    .strictObject({
      enabled: z.boolean().default(false),
      image: z.string().min(1).optional(),
      port: publishedPort.default(8081),
      heapMb: positiveInt.default(256),
    })
    .prefault({}),

  restProxy: z
    .strictObject({
      enabled: z.boolean().default(false),
      image: z.string().min(1).optional(),
      port: publishedPort.default(8082),
      heapMb: positiveInt.default(256),
    })
    .prefault({}),

  spark: z
    .strictObject({
      image: z.string().min(1).optional(),
      masterHeapMb: positiveInt.default(512),
      masterPlacement: placement,
      workers: z
        .strictObject({
          count: z.number().int().min(0).default(2),
          cores: positiveInt.default(1),
          memoryMb: positiveInt.default(1024),
          placement,
        })
        .prefault({}),
    })
    .prefault({}),

  crawler: z
    .strictObject({
      enabled: z.boolean().default(true),
      image: z.string().min(1).optional(),
      mode: z.enum(["crawl", "load"]).default("crawl"),
      sources: z.array(crawlerSourceSchema).default([]),
      userAgent: z.string().min(1).default("bigdata-platform-crawler/0.1"),
      loadRowsPerSecond: positiveInt.default(10),
      loadLocations: positiveInt.default(25),
      batchSize: positiveInt.default(500),
      /** Health and metrics endpoint inside the platform network (the healthcheck uses it; never published). */
      metricsPort: port.default(9464),
      placement,
      resources,
    })
    .prefault({}),

  dashboards: z
    .strictObject({
      kafkaUi: z
        .strictObject({
          enabled: z.boolean().default(true),
          image: z.string().min(1).optional(),
          /** The paper's topics dashboard port. */
          topicsPort: port.default(8000),
          /** The paper's Connect UI port (the same UI, opened on its connectors page). */
          connectPort: port.default(8003),
        })
        .prefault({}),
      sparkUi: z
        .strictObject({
          enabled: z.boolean().default(true),
          port: port.default(8080),
        })
        .prefault({}),
    })
    .prefault({}),
});

/** Validated, defaulted stack configuration (secrets excluded: see `secrets.ts`). */
export type PlatformConfigInput = z.input<typeof platformConfigSchema>;
export type ParsedPlatformConfig = z.output<typeof platformConfigSchema>;
export type NodeConfig = z.output<typeof nodeSchema>;
export type CrawlerSourceConfig = z.output<typeof crawlerSourceSchema>;
export type TargetKind = ParsedPlatformConfig["target"];
export type ImageSet = z.output<typeof imageSetSchema>;
