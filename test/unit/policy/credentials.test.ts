import { connectorSecretsViaConfigProvider, noPlainCredentials } from "../../../policy/policies/credentials";
import { UNKNOWN_STRING, validateResource } from "./harness";

const connector = (config: Record<string, string>, secretConfig: Record<string, string> = {}, stack = "prod") => ({
  type: "pulumi-nodejs:dynamic/kafka-connect:Connector",
  name: "web-crawler-test-source",
  stack,
  props: {
    name: "web-crawler-test-source",
    config: { "connector.class": "io.debezium.connector.mariadb.MariaDbConnector", ...config },
    secretConfig,
  },
});

describe("no-plain-credentials", () => {
  test("a password in a connector's plain config is rejected, even on dev; in secretConfig or as a config provider reference it passes", () => {
    expect(validateResource(noPlainCredentials, connector({ "database.password": "hunter2" }, {}, "dev"))).toEqual([
      expect.stringMatching(/^web-crawler-test-source: config\["database.password"\] holds a credential.*secretConfig/),
    ]);
    expect(validateResource(noPlainCredentials, connector({}, { "database.password": "hunter2" }))).toEqual([]);
    expect(
      validateResource(noPlainCredentials, connector({ "database.password": "${file:/run/secrets/cdc.properties:password}" })),
    ).toEqual([]);
  });

  test("a docker container with a password in its environment is rejected outside dev; a _FILE reference passes", () => {
    const c = (envs: string[], stack = "prod") => ({
      type: "docker:index/container:Container",
      name: "bigdata-prod-mariadb",
      stack,
      props: { envs },
    });
    expect(validateResource(noPlainCredentials, c(["MARIADB_DATABASE=testdb", "MARIADB_ROOT_PASSWORD=hunter2"]))).toEqual([
      expect.stringContaining("envs[1] sets MARIADB_ROOT_PASSWORD"),
    ]);
    expect(validateResource(noPlainCredentials, c(["MARIADB_ROOT_PASSWORD_FILE=/run/secrets/root", "PWD=/"]))).toEqual([]);
    expect(validateResource(noPlainCredentials, c(["MARIADB_ROOT_PASSWORD=hunter2"], "dev"))).toEqual([]);
  });

  test("swarm env must point at a secret file; Kubernetes env must come from a Secret", () => {
    const service = (env: Record<string, string>) => ({
      type: "docker:index/service:Service",
      name: "s",
      props: { taskSpec: { containerSpec: { env } } },
    });
    expect(validateResource(noPlainCredentials, service({ MARIADB_PASSWORD: "hunter2" }))).toEqual([
      expect.stringContaining("MARIADB_PASSWORD_FILE=/run/secrets/MARIADB_PASSWORD"),
    ]);
    expect(validateResource(noPlainCredentials, service({ MARIADB_PASSWORD_FILE: "/run/secrets/MARIADB_PASSWORD" }))).toEqual([]);
    const pod = (env: unknown[]) => ({
      type: "kubernetes:apps/v1:StatefulSet",
      name: "m",
      props: { spec: { template: { spec: { containers: [{ name: "mariadb", env }] } } } },
    });
    expect(validateResource(noPlainCredentials, pod([{ name: "MARIADB_PASSWORD", value: "hunter2" }]))).toEqual([
      expect.stringContaining("valueFrom.secretKeyRef"),
    ]);
    expect(
      validateResource(noPlainCredentials, pod([{ name: "MARIADB_PASSWORD", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }])),
    ).toEqual([]);
  });
});

describe("connector-secrets-through-config-provider", () => {
  test("a secret value (known, or generated and unknown during a preview) sent to Connect is listed outside dev", () => {
    expect(validateResource(connectorSecretsViaConfigProvider, connector({}, { "database.password": "hunter2" }))).toEqual([
      expect.stringContaining('secretConfig["database.password"]'),
    ]);
    expect(validateResource(connectorSecretsViaConfigProvider, connector({}, { "database.password": UNKNOWN_STRING }))).toHaveLength(1);
  });

  test("a config provider reference passes, and dev stacks are not checked", () => {
    expect(
      validateResource(
        connectorSecretsViaConfigProvider,
        connector({}, { "database.password": "${file:/run/secrets/cdc.properties:password}" }),
      ),
    ).toEqual([]);
    expect(validateResource(connectorSecretsViaConfigProvider, connector({}, { "database.password": "hunter2" }, "dev"))).toEqual([]);
  });
});
