import type { PlatformConfig, SecretKey } from "../config/load";

/**
 * Connector configurations, as pure functions so each one is reviewed and tested on its own.
 * Values are what Kafka Connect's REST API takes: strings only.
 */

export interface SourceTableArgs {
  readonly databaseHost: string;
  readonly databasePort: number;
  readonly database: string;
  readonly table: string;
  /** The paper's naming: topic = topicPrefix + table, e.g. `web-crawler-` + `test`. */
  readonly topicPrefix: string;
  readonly tasksMax: number;
  readonly partitions: number;
  readonly replicationFactor: number;
}

export interface ConnectorDefinition {
  readonly name: string;
  readonly config: Record<string, string>;
  /** Config keys whose values are secrets, with the platform password each one takes (supplied separately). */
  readonly secrets: Readonly<Record<string, SecretKey>>;
}

export const topicOf = (a: Pick<SourceTableArgs, "topicPrefix" | "table">): string => `${a.topicPrefix}${a.table}`;

/**
 * Debezium's MariaDB connector: change data capture from the binlog. Unlike JDBC `incrementing`
 * polling it cannot miss rows that commit out of id order. ExtractNewRecordState turns change
 * events into flat rows and RegexRouter gives the topic the paper's name.
 */
export function debeziumMariaDbSource(
  a: SourceTableArgs & {
    readonly user: string;
    readonly serverId: number;
    readonly bootstrapServers: string;
  },
): ConnectorDefinition {
  const topic = topicOf(a);
  // Debezium's own topics are named after topic.prefix, which must not end in a separator.
  const logicalName = a.topicPrefix.replace(/[-._]+$/, "") || "cdc";
  return {
    name: `${topic}-source`,
    secrets: { "database.password": "mariadbCdcPassword" },
    config: {
      "connector.class": "io.debezium.connector.mariadb.MariaDbConnector",
      // One binlog reader: Debezium always runs a single task, whatever tasks.max says.
      "tasks.max": "1",
      "database.hostname": a.databaseHost,
      "database.port": String(a.databasePort),
      "database.user": a.user,
      "database.server.id": String(a.serverId),
      "database.ssl.mode": "disable",
      "topic.prefix": logicalName,
      "database.include.list": a.database,
      "table.include.list": `${a.database}.${a.table}`,
      "include.schema.changes": "false",
      "snapshot.mode": "initial",
      "decimal.handling.mode": "double",
      "schema.history.internal.kafka.bootstrap.servers": a.bootstrapServers,
      "schema.history.internal.kafka.topic": `${logicalName}-schema-history`,
      transforms: "unwrap,route",
      "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
      "transforms.unwrap.delete.tombstone.handling.mode": "drop",
      "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
      "transforms.route.regex": `${escapeRegex(logicalName)}\\.${escapeRegex(a.database)}\\.${escapeRegex(a.table)}`,
      "transforms.route.replacement": topic,
      "topic.creation.default.partitions": String(a.partitions),
      "topic.creation.default.replication.factor": String(a.replicationFactor),
    },
  };
}

/** The paper's connector: Confluent's JDBC source in `incrementing` mode (for Connect images that carry it). */
export function jdbcSource(a: SourceTableArgs & { readonly user: string; readonly incrementingColumn: string }): ConnectorDefinition {
  return {
    name: `${topicOf(a)}-source`,
    secrets: { "connection.password": "mariadbPassword" },
    config: {
      "connector.class": "io.confluent.connect.jdbc.JdbcSourceConnector",
      "tasks.max": String(a.tasksMax),
      "connection.url": `jdbc:mariadb://${a.databaseHost}:${a.databasePort}/${a.database}`,
      "connection.user": a.user,
      mode: "incrementing",
      "incrementing.column.name": a.incrementingColumn,
      "table.whitelist": a.table,
      "topic.prefix": a.topicPrefix,
      "poll.interval.ms": "1000",
      "topic.creation.default.partitions": String(a.partitions),
      "topic.creation.default.replication.factor": String(a.replicationFactor),
    },
  };
}

/** The paper's sink: every record of the topic appended as a line to a file. */
export function fileSink(a: { readonly topic: string; readonly file: string }): ConnectorDefinition {
  return {
    name: `${a.topic}-file-sink`,
    secrets: {},
    config: {
      "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector",
      "tasks.max": "1",
      file: a.file,
      topics: a.topic,
    },
  };
}

/** Where the source connector finds the platform's database and Kafka. */
export interface PlatformEndpoints {
  readonly databaseHost: string;
  readonly databasePort: number;
  readonly bootstrapServers: string;
}

/** The source table as the stack config describes it. */
export function sourceTableOf(cfg: PlatformConfig, endpoints: PlatformEndpoints): SourceTableArgs {
  return {
    databaseHost: endpoints.databaseHost,
    databasePort: endpoints.databasePort,
    database: cfg.mariadb.database,
    table: cfg.mariadb.table,
    topicPrefix: cfg.connectors.source.topicPrefix,
    tasksMax: cfg.connectors.source.tasksMax,
    partitions: cfg.kafka.partitions,
    replicationFactor: cfg.kafka.defaultReplicationFactor,
  };
}

/** The connectors the stack config turns on, the source first; a source reads the database, which must be ready first. */
export function connectorsOf(
  cfg: PlatformConfig,
  endpoints: PlatformEndpoints,
): { readonly definition: ConnectorDefinition; readonly readsDatabase: boolean }[] {
  const table = sourceTableOf(cfg, endpoints);
  const { source, fileSink: sink } = cfg.connectors;
  const sources = !source.enabled
    ? []
    : source.kind === "debezium-mariadb"
      ? [
          debeziumMariaDbSource({
            ...table,
            user: cfg.mariadb.cdcUser,
            serverId: cfg.mariadb.serverId + 1000,
            bootstrapServers: endpoints.bootstrapServers,
          }),
        ]
      : [jdbcSource({ ...table, user: cfg.mariadb.user, incrementingColumn: source.incrementingColumn })];
  const sinks = sink.enabled ? [fileSink({ topic: topicOf(table), file: sink.file })] : [];
  return [
    ...sources.map((definition) => ({ definition, readsDatabase: true })),
    ...sinks.map((definition) => ({ definition, readsDatabase: false })),
  ];
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
