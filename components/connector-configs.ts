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
  /** Keys whose values are secrets; the values are supplied separately. */
  readonly secretKeys: readonly string[];
}

export const topicOf = (a: Pick<SourceTableArgs, "topicPrefix" | "table">): string => `${a.topicPrefix}${a.table}`;

/**
 * Debezium's MariaDB connector: change data capture from the binlog. Unlike JDBC `incrementing`
 * polling it cannot miss rows that commit out of id order. ExtractNewRecordState turns change
 * events into flat rows and RegexRouter gives the topic the paper's name.
 */
export function debeziumMariaDbSource(a: SourceTableArgs & {
  readonly user: string;
  readonly serverId: number;
  readonly bootstrapServers: string;
}): ConnectorDefinition {
  const topic = topicOf(a);
  // Debezium's own topics are named after topic.prefix, which must not end in a separator.
  const logicalName = a.topicPrefix.replace(/[-._]+$/, "") || "cdc";
  return {
    name: `${topic}-source`,
    secretKeys: ["database.password"],
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
    secretKeys: ["connection.password"],
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
    secretKeys: [],
    config: {
      "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector",
      "tasks.max": "1",
      file: a.file,
      topics: a.topic,
    },
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
