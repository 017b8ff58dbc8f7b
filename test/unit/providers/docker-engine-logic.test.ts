/**
 * Pure parts of providers/docker-engine: durations, check messages, diffs after normalisation, auto-naming, masking,
 * Docker host parsing, API bodies, log demultiplexing and the health / convergence verdicts.
 */
import {
  canonical,
  containerCheck,
  containerDiff,
  containerPlan,
  countRunning,
  demuxLogs,
  describeTasks,
  diffInputs,
  healthProblem,
  maskedError,
  networkCheck,
  networkDiff,
  parseDockerHost,
  parseDuration,
  RawInputs,
  redact,
  resolveDockerHost,
  secretProvider,
  serviceCheck,
  serviceConfigProvider,
  serviceDiff,
  serviceSpec,
  UNKNOWN_VALUE,
  uploadFiles,
  volumeCheck,
} from "../../../providers/docker-engine";

const reasons = async (result: Promise<{ failures?: { reason: string }[] }>) => ((await result).failures ?? []).map((f) => f.reason);

describe("durations", () => {
  test("parses Go-style durations into nanoseconds", () => {
    expect(parseDuration("10s")).toBe(10e9);
    expect(parseDuration("1m30s")).toBe(90e9);
    expect(parseDuration("500ms")).toBe(5e8);
    expect(parseDuration("1h")).toBe(3600e9);
    expect(parseDuration("1.5s")).toBe(1.5e9);
    expect(parseDuration("250us")).toBe(250e3);
    expect(parseDuration("0")).toBe(0);
    expect(parseDuration("0s")).toBe(0);
  });
  test("rejects what is not a duration", () => {
    for (const bad of ["10", "10 s", "ten seconds", "-5s", "5d", "", "s"]) expect(parseDuration(bad)).toBeUndefined();
  });
});

const container = (overrides: RawInputs = {}): RawInputs => ({
  name: "bigdata-dev-kafka-1",
  image: "bigdata-local/kafka:4.3.1",
  envs: ["A=1", "PASSWORD=hunter2-secret"],
  ports: [{ internal: 9092, external: 19092, ip: "127.0.0.1" }],
  healthcheck: { tests: ["CMD-SHELL", "true"], interval: "10s", timeout: "5s", retries: 3, startPeriod: "30s" },
  uploads: [{ file: "/etc/kafka/server.properties", content: "secret.key=hunter2-secret\n" }],
  wait: true,
  waitTimeout: 120,
  ...overrides,
});

describe("check", () => {
  test("accepts the shapes the targets use and keeps the inputs", async () => {
    const result = await containerCheck({}, container());
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toMatchObject({ name: "bigdata-dev-kafka-1", image: "bigdata-local/kafka:4.3.1" });
  });

  test("container: names each field exactly and never prints env values or upload contents", async () => {
    const bad = await reasons(
      containerCheck({}, {
        name: "x",
        image: 3,
        envs: ["NO_VALUE", 4, "PASSWORD=hunter2-secret"],
        ports: [{ internal: 0, ip: "localhost" }, { external: 80 }],
        volumes: [{ volumeName: "v", containerPath: "data", hostPath: "/srv" }],
        uploads: [{ file: "etc/x", content: "hunter2-secret", contentBase64: "aHVudGVy" }],
        healthcheck: { interval: "10 seconds" },
        restart: "sometimes",
        memory: 2,
        cpus: "0",
        waitTimeout: -1,
        mustRun: true,
      }),
    );
    expect(bad).toEqual([
      "mustRun is not supported by providers/docker-engine",
      'name must be 2 or more letters, digits, "_", "." or "-", starting with a letter or digit, got "x"',
      "image must be a string, got number",
      "envs[0] must have the form KEY=VALUE (its value is not shown: it may be secret)",
      "envs[1] must be a string, got number",
      'restart must be one of "no", "on-failure", "always", "unless-stopped", got "sometimes"',
      "ports[0].internal must be an integer from 1 to 65535, got 0",
      'ports[0].ip must be an IP address, got "localhost"',
      "ports[1].internal is required",
      "volumes[0].hostPath is not supported by providers/docker-engine",
      'volumes[0].containerPath must be an absolute path, got "data"',
      'uploads[0].file must be an absolute path, got "etc/x"',
      "uploads[0] must set exactly one of content and contentBase64",
      "healthcheck.tests is required",
      'healthcheck.interval must be a duration such as "10s", "1m30s" or "500ms", got "10 seconds"',
      "waitTimeout must be a positive number, got -1",
      "memory must be an integer >= 6, got 2",
      'cpus must be a positive decimal number of CPUs such as "1.5", got "0"',
    ]);
    expect(JSON.stringify(bad)).not.toContain("hunter2");
  });

  test("service: names nested fields by their full path", async () => {
    const bad = await reasons(
      serviceCheck({}, {
        name: "-bad-",
        mode: { replicated: { replicas: -1 }, global: true },
        endpointSpec: { mode: "mesh", ports: [{ targetPort: 70000, publishMode: "routing" }] },
        taskSpec: {
          containerSpec: {
            image: "",
            env: { PASSWORD: 5 },
            configs: [{ fileName: "/x", fileMode: 0o7777 }],
            mounts: [{ type: "nfs", target: "rel" }],
          },
          networksAdvanceds: [{ aliases: ["a"] }],
          restartPolicy: { condition: "always", delay: "soon" },
        },
        updateConfig: { order: "random" },
        convergeConfig: { timeout: 30 },
      }),
    );
    expect(bad).toEqual([
      'name must be 1 to 63 letters, digits, "_", "." or "-", starting and ending with a letter or digit, got "-bad-"',
      "mode.global is not supported by providers/docker-engine",
      "mode.replicated.replicas must be an integer >= 0, got -1",
      'endpointSpec.mode must be one of "vip", "dnsrr", got "mesh"',
      "endpointSpec.ports[0].targetPort must be an integer from 1 to 65535, got 70000",
      'endpointSpec.ports[0].publishMode must be one of "ingress", "host", got "routing"',
      "taskSpec.containerSpec.image is required",
      'taskSpec.containerSpec.env["PASSWORD"] must be a string, got number',
      'taskSpec.containerSpec.mounts[0].type must be one of "volume", "bind", "tmpfs", got "nfs"',
      'taskSpec.containerSpec.mounts[0].target must be an absolute path, got "rel"',
      "taskSpec.containerSpec.configs[0].configId is required",
      "taskSpec.containerSpec.configs[0].fileMode must be an integer from 0 to 511, got 4095",
      "taskSpec.networksAdvanceds[0].name is required",
      'taskSpec.restartPolicy.condition must be one of "none", "on-failure", "any", got "always"',
      'taskSpec.restartPolicy.delay must be a duration such as "10s", "1m30s" or "500ms", got "soon"',
      'updateConfig.order must be one of "stop-first", "start-first", got "random"',
      'convergeConfig.timeout must be a duration such as "10s", "1m30s" or "500ms", got number',
    ]);
    expect(await reasons(serviceCheck({}, { name: "s" }))).toEqual(["taskSpec is required"]);
  });

  test("network, volume, config and secret", async () => {
    expect(await reasons(networkCheck({}, { name: "n1", driver: "", attachable: "yes", labels: [{ label: "a" }, { label: "a", value: "x" }] }))).toEqual([
      'driver must be a network driver name such as "bridge" or "overlay", got ""',
      "attachable must be a boolean, got string",
      "labels[0].value is required",
      'labels[1].label "a" is set more than once',
    ]);
    expect(await reasons(volumeCheck({}, { labels: {} }))).toEqual(["name is required", "labels must be a list, got object"]);
    expect(await reasons(secretProvider.check!({}, { name: "s1", data: "hunter2-secret!" }))).toEqual(["data must be base64-encoded"]);
    expect(await reasons(serviceConfigProvider.check!({}, { name: "c1", data: "not base64!" }))).toEqual([
      'data must be base64-encoded, got "not base64!"',
    ]);
    expect(await reasons(secretProvider.check!({}, { name: "s1" }))).toEqual(["data is required"]);
    expect(await reasons(networkCheck({}, { name: "n1", dockerHost: "ssh://me@host" }))).toEqual([
      'dockerHost (the provider\'s host): Docker host "ssh://me@host" is not supported: use unix:///path/to/docker.sock, tcp://host:port or http://host:port (no TLS, no ssh)',
    ]);
  });

  test("accepts values unknown during preview, at any depth", async () => {
    expect(await reasons(containerCheck({}, container({ image: UNKNOWN_VALUE, envs: UNKNOWN_VALUE, ports: [{ internal: UNKNOWN_VALUE }] })))).toEqual([]);
    expect(
      await reasons(serviceCheck({}, { name: "s", taskSpec: { containerSpec: { image: "i", configs: [{ configId: UNKNOWN_VALUE, fileName: "/f" }] } } })),
    ).toEqual([]);
  });
});

describe("auto-naming", () => {
  test("generates <resource name>-<7 hex> and keeps it while the resource name stays", async () => {
    const first = (await serviceConfigProvider.check!({}, { autoNameBase: "kafka-file-0", data: "YQ==" })).inputs!;
    expect(first.name).toMatch(/^kafka-file-0-[0-9a-f]{7}$/);
    expect(first.autoNamed).toBe(true);
    const again = (await serviceConfigProvider.check!(first, { autoNameBase: "kafka-file-0", data: "Yg==" })).inputs!;
    expect(again.name).toBe(first.name);
    // The engine checks again without olds before a replacement: a fresh name.
    const replacement = (await serviceConfigProvider.check!({}, { autoNameBase: "kafka-file-0", data: "Yg==" })).inputs!;
    expect(replacement.name).not.toBe(first.name);
    const given = (await serviceConfigProvider.check!(first, { autoNameBase: "kafka-file-0", name: "fixed", data: "Yg==" })).inputs!;
    expect(given).toMatchObject({ name: "fixed" });
    expect(given.autoNamed).toBeUndefined();
  });
});

describe("diff", () => {
  test("no change when inputs are equal after normalisation", async () => {
    const olds = container();
    const same = container({
      ports: [{ internal: 9092, external: 19092, ip: "127.0.0.1", protocol: "tcp" }],
      healthcheck: { tests: ["CMD-SHELL", "true"], interval: "10000ms", timeout: "5s", retries: 3, startPeriod: "0.5m" },
      labels: [],
      restart: "no",
      user: "",
      cpus: undefined,
    });
    expect(await containerDiff("id", olds, same)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false, diffs: [] });
    expect(canonical([{ label: "b", value: "2" }, { label: "a", value: "1" }], "labels")).toEqual([
      { label: "a", value: "1" },
      { label: "b", value: "2" },
    ]);
    expect(await containerDiff("id", container({ cpus: "1" }), container({ cpus: "1.0" }))).toMatchObject({ changes: false });
  });

  test("container: every change replaces, reported per key; wait settings update in place", async () => {
    const diff = await containerDiff("id", container(), container({ envs: ["A=2"], image: "other", waitTimeout: 300 }));
    expect(diff).toEqual({ changes: true, replaces: ["envs", "image"], deleteBeforeReplace: true, diffs: ["envs", "image", "waitTimeout"] });
    expect(JSON.stringify(diff)).not.toContain("hunter2");
    expect(await containerDiff("id", container(), container({ destroyGraceSeconds: 30 }))).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      diffs: ["destroyGraceSeconds"],
    });
  });

  test("unknown values count as changes", async () => {
    expect((await containerDiff("id", container(), container({ networksAdvanced: [{ name: UNKNOWN_VALUE }] }))).replaces).toEqual([
      "networksAdvanced",
    ]);
    expect((await serviceDiff("id", { name: "s", taskSpec: {} }, { name: "s", taskSpec: UNKNOWN_VALUE })).diffs).toEqual(["taskSpec"]);
  });

  test("a fixed name is freed first; a generated one is not; a renamed one is not", async () => {
    expect((await networkDiff("id", { name: "n1", driver: "bridge" }, { name: "n1", driver: "overlay" })).deleteBeforeReplace).toBe(true);
    expect((await networkDiff("id", { name: "n1" }, { name: "n1", driver: "bridge" })).changes).toBe(false);
    expect((await networkDiff("id", { name: "n1" }, { name: "n2" })).deleteBeforeReplace).toBe(false);
    const auto = { name: "c-1234567", autoNamed: true, autoNameBase: "c", data: "YQ==" };
    expect(await serviceConfigProvider.diff!("id", auto, { ...auto, data: "Yg==" })).toMatchObject({ replaces: ["data"], deleteBeforeReplace: false });
  });

  test("service: updates in place except name and host; swarm defaults are not changes", async () => {
    const olds: RawInputs = {
      name: "svc",
      endpointSpec: { mode: "dnsrr", ports: [{ targetPort: 80, publishedPort: 80, publishMode: "host" }] },
      taskSpec: { containerSpec: { image: "i", configs: [{ configId: "c", fileName: "/f" }] } },
    };
    const same: RawInputs = {
      name: "svc",
      mode: { replicated: { replicas: 1 } },
      endpointSpec: { mode: "dnsrr", ports: [{ targetPort: 80, publishedPort: 80, publishMode: "host", protocol: "tcp" }] },
      taskSpec: { containerSpec: { image: "i", configs: [{ configId: "c", fileName: "/f", fileMode: 0o444 }] } },
    };
    expect((await serviceDiff("id", olds, same)).changes).toBe(false);
    expect(await serviceDiff("id", olds, { ...same, mode: { replicated: { replicas: 2 } } })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      diffs: ["mode"],
    });
    expect((await serviceDiff("id", olds, { ...same, name: "svc2" })).replaces).toEqual(["name"]);
    expect((await serviceDiff("id", olds, { ...same, dockerHost: "tcp://10.0.0.2:2375" })).replaces).toEqual(["dockerHost"]);
  });

  test("hidden inputs other than dockerHost never count", () => {
    expect(diffInputs({ name: "a", autoNameBase: "x", __provider: "p1" }, { name: "a", autoNameBase: "y", __provider: "p2" }, () => true).changes).toBe(false);
  });
});

describe("masking", () => {
  test("masks raw, JSON-escaped and per-line forms, but not values under 4 characters", () => {
    expect(redact('got "pa\\"ss" and pa"ss', ['pa"ss'])).toBe('got "[secret]" and [secret]');
    expect(redact("line two leaked", ["line one\nline two leaked"])).toBe("[secret]");
    expect(redact("exit 1", ["1"])).toBe("exit 1");
    const error = maskedError(Object.assign(new Error("boom hunter2"), { id: "c1", reasons: ["hunter2 seen"] }), "op: ", ["hunter2"]);
    expect(error.message).toBe("op: boom [secret]");
    expect(error.stack).not.toContain("hunter2");
    expect(error.reasons).toEqual(["op: [secret] seen"]);
    expect(error.id).toBe("c1");
  });
});

describe("docker host", () => {
  const saved = process.env.DOCKER_HOST;
  afterEach(() => {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  });

  test("the stored host wins, then DOCKER_HOST at run time, then the local socket", () => {
    delete process.env.DOCKER_HOST;
    expect(resolveDockerHost(undefined)).toBe("unix:///var/run/docker.sock");
    process.env.DOCKER_HOST = "tcp://127.0.0.1:2375";
    expect(resolveDockerHost(undefined)).toBe("tcp://127.0.0.1:2375");
    expect(resolveDockerHost("unix:///run/other.sock")).toBe("unix:///run/other.sock");
  });

  test("parses unix, tcp and http hosts", () => {
    expect(parseDockerHost("unix:///var/run/docker.sock")).toEqual({ host: "unix:///var/run/docker.sock", socketPath: "/var/run/docker.sock" });
    expect(parseDockerHost("tcp://127.0.0.1:23750")).toMatchObject({ hostname: "127.0.0.1", port: 23750 });
    expect(parseDockerHost("http://node-1")).toMatchObject({ hostname: "node-1", port: 2375 });
    expect(() => parseDockerHost("npipe:////./pipe/docker_engine")).toThrow("is not supported");
  });
});

describe("API bodies", () => {
  test("container: ports, mounts, memory, CPUs, healthcheck in nanoseconds, first network in the create body", () => {
    const plan = containerPlan(
      container({
        entrypoints: ["java"],
        command: ["-jar", "app.jar"],
        networksAdvanced: [{ name: "net-a", aliases: ["kafka"] }, { name: "net-b" }],
        volumes: [{ volumeName: "data", containerPath: "/data" }],
        memory: 512,
        memorySwap: 512,
        cpus: "1.5",
        restart: "unless-stopped",
        labels: [{ label: "app", value: "kafka" }],
      }),
    );
    expect(plan.body).toMatchObject({
      Image: "bigdata-local/kafka:4.3.1",
      Entrypoint: ["java"],
      Cmd: ["-jar", "app.jar"],
      Labels: { app: "kafka" },
      ExposedPorts: { "9092/tcp": {} },
      Healthcheck: { Test: ["CMD-SHELL", "true"], Interval: 10e9, Timeout: 5e9, StartPeriod: 30e9, Retries: 3 },
      HostConfig: {
        RestartPolicy: { Name: "unless-stopped" },
        PortBindings: { "9092/tcp": [{ HostIp: "127.0.0.1", HostPort: "19092" }] },
        Mounts: [{ Type: "volume", Source: "data", Target: "/data", ReadOnly: false }],
        Memory: 512 * 1024 * 1024,
        MemorySwap: 512 * 1024 * 1024,
        NanoCpus: 1.5e9,
        NetworkMode: "net-a",
      },
      NetworkingConfig: { EndpointsConfig: { "net-a": { Aliases: ["kafka"] } } },
    });
    expect(plan.laterNetworks).toEqual([{ name: "net-b", aliases: [] }]);
    expect(uploadFiles([{ file: "/a", content: "x", executable: true }, { file: "/b", contentBase64: "AAE=" }])).toEqual([
      { path: "/a", content: Buffer.from("x"), mode: 0o755 },
      { path: "/b", content: Buffer.from([0, 1]), mode: 0o644 },
    ]);
  });

  test("service: the spec of a dnsrr service with host-mode ports, configs, secrets and limits", () => {
    const spec = serviceSpec({
      name: "bigdata-swarm-kafka-1",
      mode: { replicated: { replicas: 2 } },
      endpointSpec: { mode: "dnsrr", ports: [{ name: "ext", targetPort: 19092, publishedPort: 19092, publishMode: "host", protocol: "tcp" }] },
      taskSpec: {
        containerSpec: {
          image: "i",
          commands: ["kafka"],
          env: { B: "2", A: "1" },
          configs: [{ configId: "cid", configName: "cname", fileName: "/etc/k.properties", fileMode: 0o644 }],
          secrets: [{ secretId: "sid", secretName: "sname", fileName: "/run/secrets/P" }],
          stopGracePeriod: "30s",
        },
        networksAdvanceds: [{ name: "netid", aliases: ["kafka-1"] }],
        placement: { constraints: ["node.hostname==n1"], maxReplicas: 1 },
        resources: { limits: { nanoCpus: 1e9, memoryBytes: 1024 } },
        restartPolicy: { condition: "any", delay: "5s", window: "60s" },
      },
      updateConfig: { parallelism: 1, order: "stop-first", failureAction: "pause", monitor: "30s" },
    });
    expect(spec).toMatchObject({
      Name: "bigdata-swarm-kafka-1",
      Mode: { Replicated: { Replicas: 2 } },
      EndpointSpec: { Mode: "dnsrr", Ports: [{ Name: "ext", Protocol: "tcp", TargetPort: 19092, PublishedPort: 19092, PublishMode: "host" }] },
      TaskTemplate: {
        ContainerSpec: {
          Image: "i",
          Command: ["kafka"],
          Env: ["A=1", "B=2"],
          Configs: [{ File: { Name: "/etc/k.properties", UID: "0", GID: "0", Mode: 0o644 }, ConfigID: "cid", ConfigName: "cname" }],
          Secrets: [{ File: { Name: "/run/secrets/P", UID: "0", GID: "0", Mode: 0o444 }, SecretID: "sid", SecretName: "sname" }],
          StopGracePeriod: 30e9,
        },
        Networks: [{ Target: "netid", Aliases: ["kafka-1"] }],
        Placement: { Constraints: ["node.hostname==n1"], MaxReplicas: 1 },
        Resources: { Limits: { NanoCPUs: 1e9, MemoryBytes: 1024 } },
        RestartPolicy: { Condition: "any", Delay: 5e9, Window: 60e9 },
      },
      UpdateConfig: { Parallelism: 1, Order: "stop-first", FailureAction: "pause", Monitor: 30e9 },
    });
  });
});

describe("waiting verdicts", () => {
  test("log streams are demultiplexed; a TTY stream is kept as is", () => {
    const frame = (stream: number, text: string) => {
      const body = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(body.length, 4);
      return Buffer.concat([header, body]);
    };
    expect(demuxLogs(Buffer.concat([frame(1, "out\n"), frame(2, "err\n")]))).toBe("out\nerr\n");
    expect(demuxLogs(Buffer.from("plain tty output\n"))).toBe("plain tty output\n");
  });

  test("health: exit, restart, unhealthy and a missing healthcheck end the wait", () => {
    expect(healthProblem({ Running: true, Health: { Status: "starting" } }, 0, 0)).toBeUndefined();
    expect(healthProblem({ Running: true, Health: { Status: "unhealthy" } }, 0, 0)).toBe("it became unhealthy");
    expect(healthProblem({ Status: "exited", ExitCode: 3 }, 0, 0)).toBe("it exited (exit code 3)");
    expect(healthProblem({ Running: true, Health: { Status: "starting" } }, 0, 1)).toBe("it exited (exit code ?) and is being restarted");
    expect(healthProblem({ Running: true }, 0, 0)).toBe("it has no healthcheck (set healthcheck, or leave wait unset)");
    expect(healthProblem(undefined, 0, 0)).toBe("it disappeared");
  });

  test("tasks: running ones are counted, the newest are described first with their errors", () => {
    const tasks = [
      { Slot: 1, DesiredState: "running", Status: { State: "running" }, UpdatedAt: "2024-01-01T00:00:02Z" },
      { Slot: 2, DesiredState: "shutdown", Status: { State: "failed", Err: "task: non-zero exit (3)" }, UpdatedAt: "2024-01-01T00:00:03Z", NodeID: "abcdefabcdefabcdef" },
      { Slot: 2, DesiredState: "running", Status: { State: "pending", Message: "no suitable node" }, UpdatedAt: "2024-01-01T00:00:01Z" },
    ];
    expect(countRunning(tasks)).toBe(1);
    expect(describeTasks(tasks, 2)).toEqual([
      "slot 2 on node abcdefabcdef: failed (desired shutdown): task: non-zero exit (3)",
      "slot 1: running (desired running)",
      "... 1 older task(s)",
    ]);
  });
});
