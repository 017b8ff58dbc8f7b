import { debeziumMariaDbSource, fileSink, jdbcSource, topicOf } from "../../../components/connector-configs";

const table = {
  databaseHost: "mariadb",
  databasePort: 3306,
  database: "testdb",
  table: "test",
  topicPrefix: "web-crawler-",
  tasksMax: 3,
  partitions: 3,
  replicationFactor: 1,
};

describe("connector configurations", () => {
  test("the topic keeps the paper's naming", () => {
    expect(topicOf(table)).toBe("web-crawler-test");
  });

  test("Debezium reads the table's binlog and routes flat rows to the paper's topic", () => {
    const d = debeziumMariaDbSource({ ...table, user: "cdc", serverId: 1001, bootstrapServers: "kafka-1:9092" });
    expect(d.name).toBe("web-crawler-test-source");
    expect(d.secrets).toEqual({ "database.password": "mariadbCdcPassword" });
    expect(d.config).toMatchObject({
      "connector.class": "io.debezium.connector.mariadb.MariaDbConnector",
      "tasks.max": "1",
      "database.server.id": "1001",
      "topic.prefix": "web-crawler",
      "table.include.list": "testdb.test",
      "schema.history.internal.kafka.topic": "web-crawler-schema-history",
      "transforms.route.regex": "web-crawler\\.testdb\\.test",
      "transforms.route.replacement": "web-crawler-test",
    });
    expect(new RegExp(`^${d.config["transforms.route.regex"]}$`).test("web-crawler.testdb.test")).toBe(true);
    expect(Object.values(d.config).every((v) => typeof v === "string")).toBe(true);
  });

  test("the JDBC source is the paper's incrementing-mode connector", () => {
    const d = jdbcSource({ ...table, user: "crawler", incrementingColumn: "id" });
    expect(d.config).toMatchObject({
      "connector.class": "io.confluent.connect.jdbc.JdbcSourceConnector",
      "connection.url": "jdbc:mariadb://mariadb:3306/testdb",
      mode: "incrementing",
      "incrementing.column.name": "id",
      "table.whitelist": "test",
      "topic.prefix": "web-crawler-",
      "tasks.max": "3",
    });
    expect(d.secrets).toEqual({ "connection.password": "mariadbPassword" });
  });

  test("the file sink appends the topic to a file", () => {
    expect(fileSink({ topic: "web-crawler-test", file: "/var/lib/connect-sink/weather.txt" }).config).toEqual({
      "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector",
      "tasks.max": "1",
      file: "/var/lib/connect-sink/weather.txt",
      topics: "web-crawler-test",
    });
  });
});
