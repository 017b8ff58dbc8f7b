import type { CapturedResource } from "../support/capture";
import { named, ofType } from "../support/capture";
import { buildStack, types } from "./build";

let resources: CapturedResource[];

interface TaskSpec {
  containerSpec: {
    image: string;
    hostname: string;
    env: Record<string, string>;
    configs?: { fileName: string }[];
    mounts?: { type: string; source: string; target: string }[];
  };
  networksAdvanceds: { id: string; aliases: string[] }[];
  placement: { constraints: string[]; maxReplicas?: number };
  resources: { limits: { nanoCpus?: number; memoryBytes?: number } };
  restartPolicy: { condition: string };
}
const service = (name: string) => named(resources, `bigdata-swarm-${name}`);
const task = (name: string) => service(name).inputs.taskSpec as TaskSpec;

beforeAll(async () => {
  resources = await buildStack("swarm");
});

describe("swarm stack (several Docker hosts)", () => {
  test("declares an attachable overlay network and one service per workload", () => {
    const networks = ofType(resources, types.network);
    expect(networks).toHaveLength(1);
    expect(networks[0].inputs).toMatchObject({ driver: "overlay", attachable: true });
    expect(
      ofType(resources, types.service)
        .map((s) => s.name)
        .sort(),
    ).toEqual(
      ["connect", "console", "crawler", "kafka-1", "kafka-2", "kafka-controller-1", "mariadb", "spark-master", "spark-worker"].map(
        (n) => `bigdata-swarm-${n}`,
      ),
    );
    expect(ofType(resources, types.container)).toHaveLength(0);
  });

  test("passes passwords as swarm secrets read through *_FILE, keeping the task spec reviewable", () => {
    expect(service("mariadb").secretInputs).toEqual([]);
    const env = task("mariadb").containerSpec.env;
    expect(env).toMatchObject({
      MARIADB_PASSWORD_FILE: "/run/secrets/MARIADB_PASSWORD",
      MARIADB_ROOT_PASSWORD_FILE: "/run/secrets/MARIADB_ROOT_PASSWORD",
    });
    expect(env).not.toHaveProperty("MARIADB_PASSWORD");
    const secret = named(resources, "bigdata-swarm-mariadb-file-mariadb_password");
    expect(secret.type).toBe("docker:index/secret:Secret");
    expect(secret.secretInputs).toEqual(["data"]);
    // Readable after the process drops root, as Docker's own default for secrets.
    expect(
      (task("mariadb").containerSpec as unknown as { secrets: { fileName: string; fileMode: number }[] }).secrets.map((x) => x.fileMode),
    ).toEqual([0o444, 0o444, 0o444]);
    expect(task("crawler").containerSpec.env).toMatchObject({ CRAWLER_DB_PASSWORD_FILE: "/run/secrets/CRAWLER_DB_PASSWORD" });
  });

  test("runs the console read-only, its password a swarm secret file; without a sink count, as volumes are per node", () => {
    const env = task("console").containerSpec.env;
    expect(env).toMatchObject({
      CONSOLE_ACTIONS_ENABLED: "false",
      CONSOLE_MARIADB_PASSWORD_FILE: "/run/secrets/console-mariadb-password",
      CONSOLE_CONNECT_URL: "http://connect:8083",
    });
    expect(env).not.toHaveProperty("CONSOLE_TOKEN_FILE");
    expect(env).not.toHaveProperty("CONSOLE_SINK_FILE");
    expect(task("console").containerSpec.mounts ?? []).toEqual([]);
    const passwordFile = named(resources, "bigdata-swarm-console-file-0");
    expect(passwordFile.type).toBe("docker:index/secret:Secret");
    expect(passwordFile.secretInputs).toEqual(["data"]);
    expect(resources.map((r) => r.name)).not.toContain("bigdata-swarm-console-token");
  });

  test("uses DNS round-robin and host-mode ports, never the routing mesh", () => {
    for (const s of ofType(resources, types.service)) {
      const endpoint = s.inputs.endpointSpec as { mode: string; ports: { publishMode: string }[] };
      expect(endpoint.mode).toBe("dnsrr");
      for (const p of endpoint.ports) expect(p.publishMode).toBe("host");
    }
    expect((service("kafka-2").inputs.endpointSpec as { ports: unknown[] }).ports).toEqual([
      { name: "kafka-external", targetPort: 19093, publishedPort: 19093, publishMode: "host", protocol: "tcp" },
    ]);
  });

  test("waits for tasks to converge and restarts them", () => {
    for (const s of ofType(resources, types.service)) {
      expect(s.inputs.convergeConfig).toMatchObject({ delay: "5s" });
      expect((s.inputs.taskSpec as TaskSpec).restartPolicy.condition).toBe("any");
    }
  });

  test("pins stateful services to labelled nodes, one broker per node", () => {
    expect(task("mariadb").placement.constraints).toEqual(["node.labels.role==data", "node.hostname==node-1"]);
    expect(task("kafka-controller-1").placement.constraints).toEqual(["node.labels.role==data", "node.hostname==node-1"]);
    expect(task("kafka-1").placement.constraints).toEqual(["node.labels.role==kafka", "node.hostname==node-2"]);
    expect(task("kafka-2").placement.constraints).toEqual(["node.labels.role==kafka", "node.hostname==node-3"]);
  });

  test("spreads Spark workers over their nodes with resource limits", () => {
    expect(service("spark-worker").inputs.mode).toEqual({ replicated: { replicas: 2 } });
    expect(task("spark-worker").placement).toEqual({ constraints: ["node.labels.spark==worker"], maxReplicas: 1 });
    expect(task("spark-worker").resources.limits.nanoCpus).toBe(1e9);
    expect(task("spark-worker").containerSpec.hostname).toBe("spark-worker-{{.Task.Slot}}");
    // No empty limits block where nothing is limited (the provider cannot take one).
    expect(task("kafka-1").resources).toBeUndefined();
  });

  test("gives each broker a stable name, its own advertised listener and volume", () => {
    for (const [i, broker] of ["kafka-1", "kafka-2"].entries()) {
      expect(task(broker).networksAdvanceds[0].aliases).toEqual([broker]);
      expect(task(broker).containerSpec.mounts).toEqual([
        { type: "volume", source: `bigdata-swarm-${broker}-data`, target: "/var/lib/kafka/data" },
      ]);
      expect(task(broker).containerSpec.configs?.map((c) => c.fileName)).toEqual(["/etc/kafka/server.properties"]);
      const config = ofType(resources, types.serviceConfig).find((c) => c.name === `bigdata-swarm-${broker}-file-0`);
      const props = Buffer.from(String(config?.inputs.data), "base64").toString("utf8");
      expect(props).toContain(`advertised.listeners=INTERNAL://${broker}:9092,EXTERNAL://node-1:${19092 + i}\n`);
      expect(props).toContain("process.roles=broker\n");
      expect(props).toContain("controller.quorum.voters=1001@kafka-controller-1:9093\n");
      expect(props).toContain("default.replication.factor=2\n");
    }
  });

  test("declares every volume so that destroy removes it", () => {
    expect(
      ofType(resources, types.volume)
        .map((v) => v.name)
        .sort(),
    ).toEqual(["connect-sink", "kafka-1-data", "kafka-2-data", "kafka-controller-1-data", "mariadb-data"].map((v) => `bigdata-swarm-${v}`));
  });

  test("uses pinned official images", () => {
    expect(task("kafka-1").containerSpec.image).toMatch(/^apache\/kafka:4\.\d+\.\d+$/);
    expect(task("mariadb").containerSpec.image).toMatch(/^mariadb:\d+\.\d+\.\d+$/);
  });

  test("starts brokers only after the controller quorum", () => {
    expect(service("kafka-1").dependsOn).toContain(`${types.service}::bigdata-swarm-kafka-controller-1`);
  });
});

test("KRaft voters are healthy once their controller listener is up, so that swarm's DNS (healthy tasks only) lets them find each other", async () => {
  const resources = await buildStack("swarm");
  const healthOf = (name: string) =>
    (named(resources, name).inputs as { taskSpec: { containerSpec: { healthcheck: { tests: string[] } } } }).taskSpec.containerSpec
      .healthcheck.tests[1];
  expect(healthOf("bigdata-swarm-kafka-controller-1")).toBe("bash -c '</dev/tcp/127.0.0.1/9093' 2>/dev/null");
  expect(healthOf("bigdata-swarm-kafka-1")).toContain("kafka-broker-api-versions.sh --bootstrap-server localhost:9092");
});
