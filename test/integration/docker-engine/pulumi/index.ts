/**
 * A small program on providers/docker-engine, deployed by ../pulumi-up.sh through the real Pulumi CLI: it checks
 * what calling the providers directly cannot, i.e. closure serialization of the providers, secrets in state,
 * auto-naming and replacements as the engine drives them.
 *
 * Config: run (name prefix), token (secret), version (a change replaces the container and the swarm config and
 * updates the service), swarm (true: also a Service with a ServiceConfig and a Secret).
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "../../../../providers/docker-engine";

const config = new pulumi.Config();
const run = config.require("run");
const token = config.requireSecret("token");
const version = config.get("version") ?? "1";
const image = config.get("image") ?? "bigdata-local/debian-base:bookworm";
const provider = new docker.Provider(`${run}-host`, { host: process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock" });
const labels = [{ label: "bigdata.test/run", value: run }];

const network = new docker.Network(`${run}-net`, { name: `${run}-net`, driver: "bridge", labels }, { provider });
const volume = new docker.Volume(`${run}-data`, { name: `${run}-data`, labels }, { provider });
const box = new docker.Container(
  `${run}-box`,
  {
    name: `${run}-box`,
    image,
    entrypoints: ["sleep"],
    command: ["infinity"],
    envs: pulumi.secret(token.apply((t) => ["PLAIN=1", `TOKEN=${t}`])),
    labels: [...labels, { label: "version", value: version }],
    networksAdvanced: [{ name: network.name, aliases: ["box"] }],
    volumes: [{ volumeName: volume.name, containerPath: "/data" }],
    uploads: [{ file: "/etc/deit/token", content: pulumi.secret(token) }],
    healthcheck: { tests: ["CMD-SHELL", "test -s /etc/deit/token"], interval: "1s", timeout: "2s", retries: 3 },
    wait: true,
    waitTimeout: 60,
    destroyGraceSeconds: 1,
  },
  { provider, deleteBeforeReplace: true, dependsOn: [volume] },
);

export const networkId = network.id;
export const boxId = box.id;
export const boxName = box.name;
export let configName: pulumi.Output<string> | undefined;
export let secretName: pulumi.Output<string> | undefined;
export let serviceId: pulumi.Output<string> | undefined;

if (config.getBoolean("swarm")) {
  const overlay = new docker.Network(`${run}-overlay`, { name: `${run}-overlay`, driver: "overlay", attachable: true }, { provider });
  const conf = new docker.ServiceConfig(`${run}-conf`, { data: Buffer.from(`version=${version}\n`).toString("base64") }, { provider });
  const secret = new docker.Secret(`${run}-secret`, { data: token.apply((t) => Buffer.from(t).toString("base64")) }, { provider });
  const service = new docker.Service(
    `${run}-svc`,
    {
      name: `${run}-svc`,
      labels,
      mode: { replicated: { replicas: 1 } },
      endpointSpec: { mode: "dnsrr", ports: [{ name: "web", targetPort: 8080, publishMode: "host", protocol: "tcp" }] },
      taskSpec: {
        containerSpec: {
          image,
          commands: ["sleep"],
          args: ["infinity"],
          env: { PLAIN: "1" },
          configs: [{ configId: conf.id, configName: conf.name, fileName: "/etc/deit/app.conf", fileMode: 0o444 }],
          secrets: [{ secretId: secret.id, secretName: secret.name, fileName: "/run/secrets/token", fileMode: 0o400 }],
          healthcheck: { tests: ["CMD-SHELL", "test -s /run/secrets/token"], interval: "1s", timeout: "2s", retries: 3 },
          stopGracePeriod: "1s",
        },
        networksAdvanceds: [{ name: overlay.id, aliases: ["svc"] }],
        restartPolicy: { condition: "any", delay: "1s", window: "10s" },
      },
      updateConfig: { parallelism: 1, order: "stop-first", failureAction: "pause", monitor: "2s" },
      convergeConfig: { delay: "1s", timeout: "120s" },
    },
    { provider },
  );
  configName = conf.name;
  secretName = secret.name;
  serviceId = service.id;
}
