/**
 * Integration test of providers/docker-engine against the real Docker engine of this machine (DOCKER_HOST or the
 * local socket). It calls the providers' methods directly, as Pulumi's dynamic provider host would:
 *
 *   1. Docker: network + volume + container (uploads, a port on 127.0.0.1, a network alias, wait healthy)
 *      -> read -> diff -> update -> a container that turns unhealthy -> delete; read after delete.
 *   2. Swarm (initialised with `docker swarm init --advertise-addr 127.0.0.1` when inactive, and left again only
 *      then): attachable overlay network + ServiceConfig + Secret + a dnsrr service with a host-mode port ->
 *      converge -> read -> diff -> update replicas 1 -> 2 -> a service that cannot converge -> delete.
 *
 * Needs the image bigdata-local/debian-base:bookworm on the engine. Prints PASS/FAIL per step, removes everything it
 * created, exits 1 when a step failed.
 *
 *   npx ts-node --transpile-only test/integration/docker-engine/run.ts
 */
import { execFileSync } from "node:child_process";
import * as net from "node:net";
import {
  containerProvider,
  dockerTiming,
  networkProvider,
  RawInputs,
  secretProvider,
  serviceConfigProvider,
  serviceProvider,
  volumeProvider,
} from "../../../providers/docker-engine";
import type * as pulumi from "@pulumi/pulumi";

const IMAGE = process.env.DOCKER_ENGINE_IT_IMAGE ?? "bigdata-local/debian-base:bookworm";
const RUN = `deit-${Math.random().toString(16).slice(2, 8)}`;
const SECRET_ENV = "Very-Secret-Env-Value-42";
const SECRET_DATA = "Very-Secret-Swarm-Data-42";

type Provider = pulumi.dynamic.ResourceProvider;
interface Created {
  provider: Provider;
  id: string;
  outs: RawInputs;
  what: string;
}

const created: Created[] = [];
let failures = 0;

function docker(...args: string[]): string {
  return execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function step(name: string, fn: () => Promise<void> | void): Promise<boolean> {
  const started = Date.now();
  try {
    await fn();
    console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    return true;
  } catch (error) {
    failures++;
    console.log(`FAIL ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)\n  ${String((error as Error).message).split("\n").join("\n  ")}`);
    return false;
  }
}

/** check + create, as the engine does; remembers the object for cleanup. */
async function create(provider: Provider, what: string, news: RawInputs): Promise<Created> {
  const checked = await provider.check!({}, news);
  assert(!checked.failures?.length, `${what}: check failed: ${JSON.stringify(checked.failures)}`);
  const result = await provider.create(checked.inputs);
  const entry = { provider, id: result.id, outs: result.outs as RawInputs, what };
  created.push(entry);
  return entry;
}

async function destroy(entry: Created): Promise<void> {
  await entry.provider.delete!(entry.id, entry.outs);
  created.splice(created.indexOf(entry), 1);
}

async function rejection(promise: Promise<unknown>): Promise<Error & { id?: string; reasons?: string[] }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { id?: string };
  }
  throw new Error("expected a failure, but it succeeded");
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function inspect(kind: "container" | "network" | "volume" | "service", id: string): Record<string, any> {
  return JSON.parse(docker(kind, "inspect", id))[0];
}

async function dockerPart(): Promise<void> {
  let network: Created | undefined;
  let volume: Created | undefined;
  let container: Created | undefined;
  const port = await freePort();
  const labels = [{ label: "bigdata.test/run", value: RUN }];

  const containerInputs = (): RawInputs => ({
    name: `${RUN}-box`,
    hostname: "box",
    image: IMAGE,
    entrypoints: ["sleep"],
    command: ["infinity"],
    envs: ["PLAIN=1", `SECRET_TOKEN=${SECRET_ENV}`],
    labels,
    restart: "unless-stopped",
    networksAdvanced: [{ name: network!.outs.name, aliases: ["box-alias"] }],
    ports: [{ internal: 8080, external: port, ip: "127.0.0.1" }],
    volumes: [{ volumeName: volume!.outs.name, containerPath: "/data" }],
    uploads: [
      { file: `/opt/${RUN}/conf/app.conf`, content: "hello=world\n" },
      { file: "/usr/local/bin/deit.sh", content: "#!/bin/sh\necho ok\n", executable: true },
    ],
    healthcheck: { tests: ["CMD-SHELL", `test -f /opt/${RUN}/conf/app.conf`], interval: "1s", timeout: "2s", retries: 3, startPeriod: "0s" },
    wait: true,
    waitTimeout: 60,
    memory: 64,
    cpus: "0.5",
    stopTimeout: 5,
    destroyGraceSeconds: 2,
  });

  await step("docker: bridge network created", async () => {
    network = await create(networkProvider, "network", { name: `${RUN}-net`, driver: "bridge", labels });
    const live = inspect("network", network.id);
    assert(live.Name === `${RUN}-net` && live.Driver === "bridge", `unexpected network ${live.Name}/${live.Driver}`);
    assert(live.Labels["bigdata.test/run"] === RUN, "network label missing");
  });
  await step("docker: volume created", async () => {
    volume = await create(volumeProvider, "volume", { name: `${RUN}-data`, labels });
    assert(volume.id === `${RUN}-data`, `volume id ${volume.id}`);
    assert(inspect("volume", volume.id).Labels["bigdata.test/run"] === RUN, "volume label missing");
  });
  if (!network || !volume) return;

  await step("docker: container created, uploads written, port on 127.0.0.1, alias, healthy", async () => {
    container = await create(containerProvider, "container", containerInputs());
    const live = inspect("container", container.id);
    assert(live.State.Health.Status === "healthy", `health ${live.State.Health.Status}`);
    const binding = live.HostConfig.PortBindings["8080/tcp"][0];
    assert(binding.HostIp === "127.0.0.1" && binding.HostPort === String(port), `binding ${JSON.stringify(binding)}`);
    assert(live.HostConfig.Memory === 64 * 1024 * 1024, `memory ${live.HostConfig.Memory}`);
    assert(live.HostConfig.NanoCpus === 5e8, `cpus ${live.HostConfig.NanoCpus}`);
    assert(live.HostConfig.RestartPolicy.Name === "unless-stopped", "restart policy");
    assert(live.Config.StopTimeout === 5, `stopTimeout ${live.Config.StopTimeout}`);
    assert(live.Config.Hostname === "box", `hostname ${live.Config.Hostname}`);
    assert(live.Config.Env.includes(`SECRET_TOKEN=${SECRET_ENV}`), "env missing");
    assert(live.Mounts.some((m: any) => m.Name === volume!.id && m.Destination === "/data"), "volume not mounted");
    assert(live.Config.Healthcheck.Interval === 1e9, `healthcheck interval ${live.Config.Healthcheck.Interval}`);
    assert(docker("exec", container.id, "cat", `/opt/${RUN}/conf/app.conf`) === "hello=world", "upload content");
    assert(docker("exec", container.id, "/usr/local/bin/deit.sh") === "ok", "executable upload");
    const modes = docker("exec", container.id, "stat", "-c", "%a %U %n", `/opt/${RUN}`, `/opt/${RUN}/conf/app.conf`, "/usr/local/bin", "/tmp");
    assert(modes === `755 root /opt/${RUN}\n644 root /opt/${RUN}/conf/app.conf\n755 root /usr/local/bin\n1777 root /tmp`, `modes:\n${modes}`);
    const resolved = docker("run", "--rm", "--network", String(network!.outs.name), IMAGE, "getent", "hosts", "box-alias");
    assert(resolved.includes(live.NetworkSettings.Networks[String(network!.outs.name)].IPAddress), `alias resolved to ${resolved}`);
  });
  if (!container) return;
  const box = container;

  await step("docker: read returns the container; diff ignores normalised-equal inputs", async () => {
    const read = await containerProvider.read!(box.id, box.outs);
    assert(read.id === box.id && read.props?.name === `${RUN}-box`, `read ${JSON.stringify({ id: read.id, name: read.props?.name })}`);
    const same = await containerProvider.diff!(box.id, read.props, containerInputs());
    assert(same.changes === false, `unchanged diff: ${JSON.stringify(same)}`);
    const equivalent: RawInputs = { ...containerInputs(), cpus: "0.50", restart: "unless-stopped", ports: [{ internal: 8080, external: port, ip: "127.0.0.1", protocol: "tcp" }] };
    (equivalent.healthcheck as Record<string, unknown>).interval = "1000ms";
    const eq = await containerProvider.diff!(box.id, box.outs, equivalent);
    assert(eq.changes === false, `normalised-equal diff: ${JSON.stringify(eq)}`);
    const changed = await containerProvider.diff!(box.id, box.outs, { ...containerInputs(), envs: ["PLAIN=2"], waitTimeout: 90 });
    assert(JSON.stringify(changed.replaces) === JSON.stringify(["envs"]) && changed.changes === true, `changed diff: ${JSON.stringify(changed)}`);
    assert(!JSON.stringify(changed).includes(SECRET_ENV), "diff leaks the secret");
    const waitOnly = await containerProvider.diff!(box.id, box.outs, { ...containerInputs(), waitTimeout: 90 });
    assert(waitOnly.changes === true && (waitOnly.replaces ?? []).length === 0, `waitTimeout diff: ${JSON.stringify(waitOnly)}`);
  });

  await step("docker: update of waitTimeout keeps the container and waits again", async () => {
    const news = (await containerProvider.check!(box.outs, { ...containerInputs(), waitTimeout: 90 })).inputs;
    const result = await containerProvider.update!(box.id, box.outs, news);
    assert(result.outs?.waitTimeout === 90, "waitTimeout not stored");
    box.outs = result.outs as RawInputs;
    assert(inspect("container", box.id).State.Running === true, "container not running");
  });

  await step("docker: a container that turns unhealthy fails with healthcheck output and logs, secret masked", async () => {
    const inputs: RawInputs = {
      name: `${RUN}-sick`,
      image: IMAGE,
      entrypoints: ["sh", "-c"],
      command: [`echo "starting with $SECRET_TOKEN"; sleep infinity`],
      envs: [`SECRET_TOKEN=${SECRET_ENV}`],
      healthcheck: { tests: ["CMD-SHELL", `echo "probe sees $SECRET_TOKEN"; exit 1`], interval: "1s", timeout: "2s", retries: 2 },
      wait: true,
      waitTimeout: 60,
    };
    const error = await rejection(create(containerProvider, "sick container", inputs));
    const id = error.id;
    if (id) created.push({ provider: containerProvider, id, outs: (await containerProvider.check!({}, inputs)).inputs, what: "sick container" });
    assert(id, `no id on the initialization error: ${error.message}`);
    assert(error.message.includes("became unhealthy"), error.message);
    assert(error.message.includes("probe sees [secret]"), `healthcheck output missing: ${error.message}`);
    assert(error.message.includes("starting with [secret]"), `log lines missing: ${error.message}`);
    assert(!error.message.includes(SECRET_ENV) && !(error.stack ?? "").includes(SECRET_ENV), "secret leaked");
    assert(!(error.reasons ?? []).join("").includes(SECRET_ENV), "secret leaked in reasons");
    await destroy(created.find((c) => c.id === id)!);
  });

  await step("docker: container with a missing image fails clearly", async () => {
    const error = await rejection(create(containerProvider, "no image", { name: `${RUN}-noimg`, image: "bigdata-local/absent:none" }));
    assert(error.message.includes("is not on the Docker host") && !error.id, error.message);
  });

  await step("docker: container deleted (stop with grace, v=true), twice; read after delete has no id", async () => {
    await destroy(box);
    let gone = false;
    try {
      docker("container", "inspect", box.id);
    } catch {
      gone = true;
    }
    assert(gone, "container still exists");
    await containerProvider.delete!(box.id, box.outs);
    const read = await containerProvider.read!(box.id, box.outs);
    assert(read.id === undefined, "read after delete returned an id");
  });

  await step("docker: volume and network deleted; read after delete has no id", async () => {
    await destroy(volume!);
    await destroy(network!);
    assert((await volumeProvider.read!(volume!.id, volume!.outs)).id === undefined, "volume still read");
    assert((await networkProvider.read!(network!.id, network!.outs)).id === undefined, "network still read");
  });
}

async function swarmPart(): Promise<void> {
  const state = docker("info", "--format", "{{.Swarm.LocalNodeState}}");
  let initialised = false;
  if (state === "inactive") {
    const ok = await step("swarm: docker swarm init --advertise-addr 127.0.0.1", () => {
      docker("swarm", "init", "--advertise-addr", "127.0.0.1");
      initialised = true;
    });
    if (!ok) return;
  } else if (state !== "active") {
    console.log(`SKIP swarm part: swarm state is ${state}`);
    return;
  }
  try {
    await swarmSteps();
  } finally {
    await cleanup();
    if (initialised) await step("swarm: left the swarm this test created", () => void docker("swarm", "leave", "--force"));
  }
}

async function swarmSteps(): Promise<void> {
  let network: Created | undefined;
  let config: Created | undefined;
  let secret: Created | undefined;
  let service: Created | undefined;
  const labels = [{ label: "bigdata.test/run", value: RUN }];

  await step("swarm: attachable overlay network created", async () => {
    network = await create(networkProvider, "overlay network", { name: `${RUN}-overlay`, driver: "overlay", attachable: true, labels });
    const live = inspect("network", network.id);
    assert(live.Driver === "overlay" && live.Attachable === true, `network ${live.Driver} attachable=${live.Attachable}`);
  });
  await step("swarm: ServiceConfig and Secret created with generated names", async () => {
    config = await create(serviceConfigProvider, "config", { autoNameBase: `${RUN}-conf`, data: Buffer.from("greeting=hello\n").toString("base64") });
    assert(/^deit-[0-9a-f]+-conf-[0-9a-f]{7}$/.test(String(config.outs.name)), `config name ${config.outs.name}`);
    secret = await create(secretProvider, "secret", { autoNameBase: `${RUN}-secret`, data: Buffer.from(SECRET_DATA).toString("base64") });
    assert(/-secret-[0-9a-f]{7}$/.test(String(secret.outs.name)), `secret name ${secret.outs.name}`);
    const rechecked = await secretProvider.check!(secret.outs, { autoNameBase: `${RUN}-secret`, data: "x" });
    assert(rechecked.inputs?.name === secret.outs.name || rechecked.failures?.length, "generated name not kept");
    const badData = await secretProvider.check!({}, { name: "x1", data: `${SECRET_DATA}!` });
    assert(JSON.stringify(badData.failures) === JSON.stringify([{ property: "", reason: "data must be base64-encoded" }]), JSON.stringify(badData.failures));
  });
  if (!network || !config || !secret) return;

  const serviceInputs = (replicas: number): RawInputs => ({
    name: `${RUN}-svc`,
    labels,
    mode: { replicated: { replicas } },
    endpointSpec: { mode: "dnsrr", ports: [{ name: "web", targetPort: 8080, publishMode: "host", protocol: "tcp" }] },
    taskSpec: {
      containerSpec: {
        image: IMAGE,
        hostname: "svc-{{.Task.Slot}}",
        commands: ["sleep"],
        args: ["infinity"],
        env: { PLAIN: "1", SECRET_TOKEN: SECRET_ENV },
        labels,
        configs: [{ configId: config!.id, configName: config!.outs.name, fileName: "/etc/deit/app.conf", fileMode: 0o444 }],
        secrets: [{ secretId: secret!.id, secretName: secret!.outs.name, fileName: "/run/secrets/deit", fileMode: 0o400 }],
        healthcheck: { tests: ["CMD-SHELL", "test -f /etc/deit/app.conf"], interval: "1s", timeout: "2s", retries: 3 },
        stopGracePeriod: "2s",
      },
      networksAdvanceds: [{ name: network!.id, aliases: ["svc-alias"] }],
      placement: { constraints: ["node.role==manager"], maxReplicas: 2 },
      resources: { limits: { nanoCpus: 250_000_000, memoryBytes: 64 * 1024 * 1024 } },
      restartPolicy: { condition: "any", delay: "1s", window: "10s" },
    },
    updateConfig: { parallelism: 1, order: "stop-first", failureAction: "pause", monitor: "2s" },
    convergeConfig: { delay: "1s", timeout: "120s" },
  });

  const taskContainers = (id: string): string[] =>
    docker("ps", "-q", "--filter", `label=com.docker.swarm.service.id=${id}`).split("\n").filter(Boolean);

  await step("swarm: dnsrr service with host-mode port, config, secret, healthcheck converges", async () => {
    service = await create(serviceProvider, "service", serviceInputs(1));
    const live = inspect("service", service.id);
    assert(live.Spec.EndpointSpec.Mode === "dnsrr", "endpoint mode");
    const [task] = taskContainers(service.id);
    assert(task, "no task container");
    const c = inspect("container", task);
    assert(c.State.Health?.Status === "healthy", `task health ${c.State.Health?.Status}`);
    assert(Object.keys(c.NetworkSettings.Ports ?? {}).includes("8080/tcp"), `ports ${JSON.stringify(c.NetworkSettings.Ports)}`);
    assert(docker("exec", task, "cat", "/etc/deit/app.conf") === "greeting=hello", "config file");
    assert(docker("exec", task, "cat", "/run/secrets/deit") === SECRET_DATA, "secret file");
    assert(docker("exec", task, "stat", "-c", "%a", "/run/secrets/deit") === "400", "secret file mode");
    assert(c.Config.Hostname === "svc-1", `hostname ${c.Config.Hostname}`);
    const resolved = docker("run", "--rm", "--network", String(network!.outs.name), IMAGE, "getent", "hosts", "svc-alias");
    assert(resolved.length > 0, "alias not resolved");
  });
  if (!service) return;
  const svc = service;

  await step("swarm: read and diff (same -> none, replicas -> update, name -> replace)", async () => {
    const read = await serviceProvider.read!(svc.id, svc.outs);
    assert(read.id === svc.id && read.props?.name === `${RUN}-svc`, "read");
    const same = await serviceProvider.diff!(svc.id, read.props, serviceInputs(1));
    assert(same.changes === false, `same diff ${JSON.stringify(same)}`);
    const scaled = await serviceProvider.diff!(svc.id, read.props, serviceInputs(2));
    assert(scaled.changes === true && (scaled.replaces ?? []).length === 0, `scaled diff ${JSON.stringify(scaled)}`);
    const renamed = await serviceProvider.diff!(svc.id, read.props, { ...serviceInputs(1), name: `${RUN}-svc2` });
    assert(JSON.stringify(renamed.replaces) === '["name"]', `renamed diff ${JSON.stringify(renamed)}`);
  });

  await step("swarm: update replicas 1 -> 2 converges with 2 healthy tasks", async () => {
    const news = (await serviceProvider.check!(svc.outs, serviceInputs(2))).inputs;
    const result = await serviceProvider.update!(svc.id, svc.outs, news);
    svc.outs = result.outs as RawInputs;
    const tasks = taskContainers(svc.id);
    assert(tasks.length === 2, `${tasks.length} task containers`);
    for (const t of tasks) assert(inspect("container", t).State.Health?.Status === "healthy", "task not healthy");
    assert(inspect("service", svc.id).Spec.Mode.Replicated.Replicas === 2, "replicas not 2");
  });

  await step("swarm: a service that cannot converge fails with the tasks' errors", async () => {
    const inputs: RawInputs = {
      name: `${RUN}-broken`,
      taskSpec: {
        containerSpec: { image: IMAGE, commands: ["sh", "-c"], args: ["echo broken; exit 3"], env: { SECRET_TOKEN: SECRET_ENV } },
        restartPolicy: { condition: "any", delay: "1s" },
      },
      convergeConfig: { delay: "1s", timeout: "8s" },
    };
    const error = await rejection(create(serviceProvider, "broken service", inputs));
    if (error.id) created.push({ provider: serviceProvider, id: error.id, outs: (await serviceProvider.check!({}, inputs)).inputs, what: "broken service" });
    assert(error.id, `no id: ${error.message}`);
    assert(error.message.includes("did not converge within 8s") && /exit code 3|non-zero exit \(3\)/.test(error.message), error.message);
    assert(!error.message.includes(SECRET_ENV), "secret leaked");
    await destroy(created.find((c) => c.id === error.id)!);
  });

  await step("swarm: service, config, secret and network deleted; reads after delete have no id", async () => {
    await destroy(svc);
    assert(taskContainers(svc.id).length === 0, "task containers left");
    await destroy(config!);
    await destroy(secret!);
    await destroy(network!);
    assert((await serviceProvider.read!(svc.id, svc.outs)).id === undefined, "service still read");
    assert((await serviceConfigProvider.read!(config!.id, config!.outs)).id === undefined, "config still read");
    assert((await secretProvider.read!(secret!.id, secret!.outs)).id === undefined, "secret still read");
    await serviceProvider.delete!(svc.id, svc.outs); // 404 = already gone
  });
}

/** Removes whatever a failed step left, newest first. */
async function cleanup(): Promise<void> {
  for (const entry of [...created].reverse()) {
    try {
      await destroy(entry);
      console.log(`cleanup: removed ${entry.what} ${entry.id}`);
    } catch (error) {
      failures++;
      console.log(`cleanup: could not remove ${entry.what} ${entry.id}: ${(error as Error).message}`);
    }
  }
}

async function main(): Promise<void> {
  dockerTiming.pollMs = 500;
  console.log(`docker-engine integration test, run ${RUN}, image ${IMAGE}`);
  try {
    docker("image", "inspect", IMAGE);
  } catch {
    console.log(`FAIL image ${IMAGE} is not on the engine`);
    process.exit(1);
  }
  try {
    await dockerPart();
  } finally {
    await cleanup();
  }
  await swarmPart();
  console.log(failures ? `${failures} step(s) FAILED` : "all steps passed");
  process.exit(failures ? 1 : 0);
}

void main();
