import { Platform } from "../../../components/platform";
import { targetFor } from "../../../targets/registry";
import { captureResources, named, ofType } from "../support/capture";
import { configSource, loadConfig } from "../support/stack-config";
import { envOf, testDdl, types } from "../stacks/build";
import { readJobSources } from "../../../components/benchmark-job";
import { readNotebookFiles } from "../../../components/notebook";

// Schema Registry, REST Proxy and kafka-ui cannot be built from the registries our machines reach:
// these tests are their coverage.
test("Schema Registry, REST Proxy and kafka-ui are wired to the brokers and to each other", async () => {
  const resources = await captureResources((transformations) => {
    const config = loadConfig(
      configSource(
        {
          target: "docker",
          crawler: { mode: "load" },
          schemaRegistry: { enabled: true },
          restProxy: { enabled: true },
          // kafka-ui takes the console's place on the paper's two ports.
          dashboards: { kafkaUi: { enabled: true }, console: { enabled: false } },
        },
        { stack: "full" },
      ),
    );
    new Platform(
      config.namePrefix,
      { config, target: targetFor(config), tableDdlTemplate: testDdl, jobSources: readJobSources(), notebookFiles: readNotebookFiles() },
      { transformations },
    );
  });
  const registry = named(resources, "bigdata-full-schema-registry");
  expect(registry.inputs.image).toBe("confluentinc/cp-schema-registry:8.0.0");
  expect(envOf(registry)).toMatchObject({
    SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: "PLAINTEXT://kafka-1:9092",
    SCHEMA_REGISTRY_LISTENERS: "http://0.0.0.0:8081",
    SCHEMA_REGISTRY_HEAP_OPTS: "-Xms256m -Xmx256m",
  });
  expect(registry.dependsOn).toContain(`${types.container}::bigdata-full-kafka-1`);

  const proxy = named(resources, "bigdata-full-rest-proxy");
  expect(envOf(proxy)).toMatchObject({
    KAFKA_REST_BOOTSTRAP_SERVERS: "PLAINTEXT://kafka-1:9092",
    KAFKA_REST_SCHEMA_REGISTRY_URL: "http://schema-registry:8081",
  });
  expect(proxy.dependsOn).toContain(`${types.container}::bigdata-full-schema-registry`);

  const ui = named(resources, "bigdata-full-kafka-ui");
  expect(ui.inputs.image).toBe("kafbat/kafka-ui:v1.4.2");
  expect(envOf(ui)).toMatchObject({
    KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS: "kafka-1:9092",
    KAFKA_CLUSTERS_0_KAFKACONNECT_0_ADDRESS: "http://connect:8083",
    KAFKA_CLUSTERS_0_SCHEMAREGISTRY: "http://schema-registry:8081",
  });
  expect(ui.inputs.ports).toEqual([
    { internal: 8080, external: 8000, ip: "127.0.0.1" },
    { internal: 8080, external: 8003, ip: "127.0.0.1" },
  ]);
  expect(ofType(resources, types.container).map((c) => c.inputs.hostname)).toEqual(
    expect.arrayContaining(["schema-registry", "rest-proxy", "kafka-ui"]),
  );
  expect(ofType(resources, types.container).map((c) => c.inputs.hostname)).not.toContain("console");
});

test("kafka-ui and the console on the same ports are refused, naming both keys", () => {
  expect(() =>
    loadConfig(
      configSource({ target: "docker", crawler: { mode: "load" }, dashboards: { kafkaUi: { enabled: true } } }, { stack: "full" }),
    ),
  ).toThrow(
    "bigdata:dashboards.kafkaUi.topicsPort: host port 8000 is already published by dashboards.console.topicsPort; published ports must be unique across all services",
  );
});
