/** The Connector resource class under Pulumi's mocks: type token, inputs, secrets, output properties. */
import * as pulumi from "@pulumi/pulumi";
import { Connector, CONNECTOR_TYPE, secretInputs } from "../../../providers/kafka-connect";

const PASSWORD = "m0cked-Pa55word";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const registered: Registered[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        return {
          id: `${args.name}-id`,
          state: { ...args.inputs, state: "RUNNING", taskStates: ["RUNNING", "RUNNING"], type: "source" },
        };
      },
      call: (args) => args.inputs,
    },
    "bigdata",
    "test",
    false,
  );
});

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply(done));
}

test("registers a dynamic resource with its own type token, secret-valued secretConfig and no secret in the provider", async () => {
  const seenOpts: pulumi.CustomResourceOptions[] = [];
  const connector = new Connector(
    "weather-source",
    {
      connectUrl: "http://127.0.0.1:8083",
      name: "weather-source",
      config: { "connector.class": "io.debezium.connector.mariadb.MariaDbConnector", "tasks.max": pulumi.output("1") },
      secretConfig: { "database.password": PASSWORD },
      readyTimeoutSeconds: 60,
    },
    {
      transformations: [
        (args) => {
          seenOpts.push(args.opts as pulumi.CustomResourceOptions);
          return undefined;
        },
      ],
    },
  );

  expect(await resolve(connector.name)).toBe("weather-source");
  expect(await resolve(connector.state)).toBe("RUNNING");
  expect(await resolve(connector.taskStates)).toEqual(["RUNNING", "RUNNING"]);
  expect(await resolve(connector.type)).toBe("source");

  const r = registered.find((x) => x.name === "weather-source");
  expect(r?.type).toBe(CONNECTOR_TYPE);
  expect(CONNECTOR_TYPE).toBe("pulumi-nodejs:dynamic/kafka-connect:Connector");
  expect(r?.inputs).toMatchObject({
    connectUrl: "http://127.0.0.1:8083",
    name: "weather-source",
    config: { "connector.class": "io.debezium.connector.mariadb.MariaDbConnector", "tasks.max": "1" },
    readyTimeoutSeconds: 60,
  });
  // secretConfig reaches the engine as a secret. (The mock monitor pushes the secret bit of a map value up to the
  // map; the real engine gets each value as a secret, see the secretInputs test below.)
  expect(r?.inputs.secretConfig).toEqual({
    [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
    value: { "database.password": PASSWORD },
  });
  expect(JSON.stringify(r?.inputs.config)).not.toContain(PASSWORD);
  // The serialized provider is there and does not carry the secret.
  expect(typeof r?.inputs.__provider).toBe("string");
  expect(r?.inputs.__provider as string).toContain("exports.handler");
  expect(r?.inputs.__provider as string).not.toContain(PASSWORD);
  // The whole secretConfig output is secret.
  expect(seenOpts[0]?.additionalSecretOutputs).toEqual(["secretConfig"]);
});

test("keeps caller options and makes a secretConfig given as an Output secret as a whole", async () => {
  const seenOpts: pulumi.CustomResourceOptions[] = [];
  const connector = new Connector(
    "file-sink",
    {
      connectUrl: "http://127.0.0.1:8083",
      name: "file-sink",
      config: { "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector" },
      secretConfig: pulumi.output({ "some.token": PASSWORD }),
    },
    {
      protect: true,
      additionalSecretOutputs: ["config"],
      transformations: [
        (args) => {
          seenOpts.push(args.opts as pulumi.CustomResourceOptions);
          return undefined;
        },
      ],
    },
  );
  expect(await resolve(connector.name)).toBe("file-sink");
  const r = registered.find((x) => x.name === "file-sink");
  expect(r?.inputs.secretConfig).toEqual({
    [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
    value: { "some.token": PASSWORD },
  });
  expect(seenOpts[0]?.protect).toBe(true);
  expect(seenOpts[0]?.additionalSecretOutputs).toEqual(["config", "secretConfig"]);
});

test("secretInputs makes each value secret when the keys are known, else the whole map", async () => {
  const perKey = secretInputs({ a: "x", b: pulumi.output("y") }) as Record<string, pulumi.Output<string>>;
  expect(Object.keys(perKey)).toEqual(["a", "b"]);
  expect(await pulumi.isSecret(perKey.a)).toBe(true);
  expect(await pulumi.isSecret(perKey.b)).toBe(true);
  expect(await resolve(perKey.b)).toBe("y");
  const whole = secretInputs(pulumi.output({ a: "x" })) as pulumi.Output<Record<string, string>>;
  expect(await pulumi.isSecret(whole)).toBe(true);
  expect(secretInputs(undefined)).toEqual({});
});
