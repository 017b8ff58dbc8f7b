/** The docker-engine resource classes under Pulumi's mocks: type tokens, inputs, the Provider's host, secrets. */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "../../../providers/docker-engine";

const TOKEN = "m0cked-T0ken-Value";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  opts?: pulumi.CustomResourceOptions;
}

const registered: Registered[] = [];
const optsByName = new Map<string, pulumi.CustomResourceOptions>();
const capture: pulumi.ResourceTransformation = (args) => {
  optsByName.set(args.name, args.opts as pulumi.CustomResourceOptions);
  return undefined;
};

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        return { id: `${args.name}-id`, state: { ...args.inputs, name: args.inputs.name ?? `${args.name}-abcdef0` } };
      },
      call: (args) => args.inputs,
    },
    "bigdata",
    "test",
    false,
  );
});

const resolve = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((done) => output.apply(done));
const find = (name: string) => registered.find((r) => r.name === name)!;
const secretOf = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

// Each class serializes its provider once (a second or so of CPU each).
jest.setTimeout(60_000);

test("each class registers a dynamic resource with its type token, the same args and the provider's host", async () => {
  const host = new docker.Provider("node-1", { host: "tcp://127.0.0.1:23751" });
  const network = new docker.Network("net", { name: "bigdata-net", driver: "overlay", attachable: true }, { provider: host, transformations: [capture] });
  const volume = new docker.Volume("vol", { name: "bigdata-vol", labels: [{ label: "a", value: "b" }] });
  const container = new docker.Container(
    "box",
    {
      name: "bigdata-box",
      image: "bigdata-local/debian-base:bookworm",
      envs: pulumi.secret([`TOKEN=${TOKEN}`]),
      networksAdvanced: [{ name: network.name, aliases: ["box"] }],
      volumes: [{ volumeName: volume.name, containerPath: "/data" }],
      uploads: [{ file: "/etc/token", content: pulumi.secret(TOKEN) }],
      wait: true,
    },
    { provider: host, deleteBeforeReplace: true, transformations: [capture] },
  );
  expect(await resolve(network.name)).toBe("bigdata-net");
  expect(await resolve(container.name)).toBe("bigdata-box");
  expect(await resolve(volume.id)).toBe("vol-id");

  expect(find("net").type).toBe(docker.DOCKER_ENGINE_TYPES.Network);
  expect(find("net").type).toBe("pulumi-nodejs:dynamic/docker-engine:Network");
  expect(find("vol").type).toBe("pulumi-nodejs:dynamic/docker-engine:Volume");
  expect(find("box").type).toBe("pulumi-nodejs:dynamic/docker-engine:Container");
  expect(find("net").inputs).toMatchObject({ name: "bigdata-net", driver: "overlay", attachable: true, dockerHost: "tcp://127.0.0.1:23751", autoNameBase: "net" });
  expect(find("vol").inputs.dockerHost).toBeUndefined();
  expect(find("box").inputs).toMatchObject({
    networksAdvanced: [{ name: "bigdata-net", aliases: ["box"] }],
    volumes: [{ volumeName: "bigdata-vol", containerPath: "/data" }],
    dockerHost: "tcp://127.0.0.1:23751",
  });
  // Secrets reach the engine as secrets (the engine keeps the outputs of the same name secret).
  expect(find("box").inputs.envs).toEqual(secretOf([`TOKEN=${TOKEN}`]));
  expect(JSON.stringify(find("box").inputs.uploads)).toContain(pulumi.runtime.specialSecretSig);
  // The provider option is consumed (a dynamic resource has no custom provider); other options are kept.
  expect(optsByName.get("box")?.provider).toBeUndefined();
  expect(optsByName.get("box")?.deleteBeforeReplace).toBe(true);
  // The serialized provider is there and carries no secret.
  expect(typeof find("box").inputs.__provider).toBe("string");
  expect(find("box").inputs.__provider as string).not.toContain(TOKEN);
});

test("Secret keeps data secret in inputs and outputs; ServiceConfig and Service pass their args through", async () => {
  const data = Buffer.from(TOKEN).toString("base64");
  const secret = new docker.Secret("pw", { data }, { transformations: [capture] });
  const config = new docker.ServiceConfig("conf", { data: Buffer.from("a=1").toString("base64") });
  const service = new docker.Service("svc", {
    name: "bigdata-svc",
    mode: { replicated: { replicas: 2 } },
    endpointSpec: { mode: "dnsrr", ports: [{ targetPort: 80, publishedPort: 8080, publishMode: "host" }] },
    taskSpec: {
      containerSpec: {
        image: "i",
        configs: [{ configId: config.id, configName: config.name, fileName: "/etc/a" }],
        secrets: [{ secretId: secret.id, secretName: secret.name, fileName: "/run/secrets/pw" }],
      },
      networksAdvanceds: [{ name: "net-id", aliases: ["svc"] }],
    },
    convergeConfig: { delay: "5s", timeout: "300s" },
  });
  expect(await resolve(service.name)).toBe("bigdata-svc");
  expect(await resolve(secret.name)).toBe("pw-abcdef0");
  expect(await pulumi.isSecret(secret.data)).toBe(true);
  expect(find("pw").inputs).toMatchObject({ data: secretOf(data), autoNameBase: "pw" });
  expect(find("pw").inputs.name).toBeUndefined();
  expect(optsByName.get("pw")?.additionalSecretOutputs).toEqual(["data"]);
  expect(find("conf").type).toBe("pulumi-nodejs:dynamic/docker-engine:ServiceConfig");
  expect(find("pw").type).toBe("pulumi-nodejs:dynamic/docker-engine:Secret");
  expect(find("svc").type).toBe("pulumi-nodejs:dynamic/docker-engine:Service");
  expect(find("svc").inputs).toMatchObject({
    mode: { replicated: { replicas: 2 } },
    taskSpec: {
      containerSpec: {
        configs: [{ configId: "conf-id", configName: "conf-abcdef0", fileName: "/etc/a" }],
        secrets: [{ secretId: "pw-id", secretName: "pw-abcdef0", fileName: "/run/secrets/pw" }],
      },
    },
  });
});

test("a Pulumi provider resource as opts.provider is refused with a clear message", () => {
  const notOurs = { host: "tcp://x:2375" } as unknown as docker.Provider;
  expect(() => new docker.Volume("bad", { name: "bad" }, { provider: notOurs })).toThrow(
    "Volume bad: opts.provider must be a Provider from providers/docker-engine (dynamic resources cannot use a Pulumi provider resource)",
  );
});
