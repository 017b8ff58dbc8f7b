import { kafkaReplication } from "../../../policy/policies/kafka-replication";
import { type FakeResource, validateStack } from "./harness";

const props = (values: Record<string, string | number>) =>
  Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n") + "\n";
const broker = (id: number, rf: number, minIsr: number) =>
  props({
    "process.roles": "broker,controller",
    "node.id": id,
    "default.replication.factor": rf,
    "min.insync.replicas": minIsr,
    "offsets.topic.replication.factor": rf,
    "transaction.state.log.replication.factor": rf,
  });
const worker = (rf: number) =>
  props({
    "bootstrap.servers": "kafka-1:9092",
    "group.id": "connect",
    "config.storage.topic": "connect-configs",
    "config.storage.replication.factor": rf,
    "offset.storage.replication.factor": rf,
    "status.storage.replication.factor": rf,
  });

/** A swarm stack: services (multi-host) with their properties files as swarm configs. */
const swarmStack = (brokers: number, rf: number, minIsr: number, connectRf: number, connectorRf: number): FakeResource[] => [
  { type: "docker:index/service:Service", name: "bigdata-prod-kafka-1", props: {} },
  ...Array.from({ length: brokers }, (_, i) => ({
    type: "docker:index/serviceConfig:ServiceConfig",
    name: `bigdata-prod-kafka-${i + 1}-file-0`,
    props: { data: Buffer.from(broker(i + 1, rf, minIsr)).toString("base64") },
  })),
  {
    type: "docker:index/serviceConfig:ServiceConfig",
    name: "bigdata-prod-connect-file-0",
    props: { data: Buffer.from(worker(connectRf)).toString("base64") },
  },
  {
    type: "pulumi-nodejs:dynamic/kafka-connect:Connector",
    name: "web-crawler-test-source",
    props: { config: { "topic.creation.default.replication.factor": String(connectorRf) } },
  },
];

describe("kafka-replication-on-multi-host", () => {
  test("a swarm stack with replication factor 1 everywhere is rejected for the brokers, Connect and the connector", () => {
    const found = validateStack(kafkaReplication, swarmStack(2, 1, 1, 1, 1));
    const messages = found.map((f) => f.message);
    expect(messages).toContainEqual(
      expect.stringMatching(/^bigdata-prod-kafka-1-file-0: data sets default.replication.factor=1; .* at least 2/),
    );
    expect(messages).toContainEqual(expect.stringContaining("bigdata-prod-connect-file-0: data sets config.storage.replication.factor=1"));
    expect(messages).toContainEqual(
      expect.stringContaining("web-crawler-test-source: config sets topic.creation.default.replication.factor=1"),
    );
    expect(found.every((f) => f.urn !== undefined)).toBe(true);
  });

  test("two brokers with replication 2 pass (min.insync.replicas=1 is allowed below three brokers)", () => {
    expect(validateStack(kafkaReplication, swarmStack(2, 2, 1, 2, 2))).toEqual([]);
  });

  test("with three brokers min.insync.replicas must be at least 2", () => {
    const found = validateStack(kafkaReplication, swarmStack(3, 3, 1, 3, 3));
    expect(found.map((f) => f.message)).toEqual(
      Array.from({ length: 3 }, (_, i) => expect.stringContaining(`kafka-${i + 1}-file-0: data sets min.insync.replicas=1`)),
    );
    expect(validateStack(kafkaReplication, swarmStack(3, 3, 2, 3, 3))).toEqual([]);
  });

  test("Kubernetes ConfigMaps are read too", () => {
    const stack: FakeResource[] = [
      { type: "kubernetes:apps/v1:StatefulSet", name: "bigdata-prod-kafka-1", props: {} },
      {
        type: "kubernetes:core/v1:ConfigMap",
        name: "bigdata-prod-kafka-1-files",
        props: { data: { "etc_kafka_server.properties": broker(1, 1, 1) } },
      },
    ];
    expect(validateStack(kafkaReplication, stack)).toContainEqual(
      expect.objectContaining({
        message: expect.stringContaining('data["etc_kafka_server.properties"] sets default.replication.factor=1'),
      }),
    );
  });

  test("one Docker host (the docker target) is not multi-host: replication factor 1 is fine there", () => {
    const dev: FakeResource[] = [
      {
        type: "docker:index/container:Container",
        name: "bigdata-dev-kafka-1",
        props: { uploads: [{ file: "/etc/kafka/server.properties", content: broker(1, 1, 1) }] },
      },
    ];
    expect(validateStack(kafkaReplication, dev)).toEqual([]);
  });
});
