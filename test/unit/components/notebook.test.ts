import type { CapturedResource } from "../support/capture";
import { named, ofType } from "../support/capture";
import { buildStack, envOf, types, upload } from "../stacks/build";
import { readNotebookFiles } from "../../../components/notebook";

const enabled = { notebook: { enabled: true } };
const token = "mock-generated-password";
const sparkDefaults = "/opt/spark/conf/spark-defaults.conf";
const tokenFile = "/run/secrets/notebook-token";
const sample = "/opt/spark/work-dir/samples/hourly-aggregates.ipynb";

/** spark-defaults.conf as key → value. */
const settings = (text: string) =>
  Object.fromEntries(
    text
      .split("\n")
      .filter((l) => l && !l.startsWith("#"))
      .map((l) => {
        const [k, ...v] = l.trim().split(/\s+/);
        return [k, v.join(" ")];
      }),
  );

const driverSettings = {
  "spark.master": "spark://spark-master:7077",
  "spark.driver.host": "notebook",
  "spark.driver.bindAddress": "0.0.0.0",
  "spark.driver.port": "7078",
  "spark.blockManager.port": "7079",
  "spark.cores.max": "1",
  "spark.executor.cores": "1",
  "spark.executor.memory": "512m",
  "spark.driver.memory": "512m",
  "spark.sql.session.timeZone": "UTC",
  "spark.sql.shuffle.partitions": "2",
};

describe("notebook on the dev stack (docker target)", () => {
  let resources: CapturedResource[];
  beforeAll(async () => {
    resources = await buildStack("dev", enabled);
  });
  const notebook = () => named(resources, "bigdata-dev-notebook");

  test("JupyterLab from the notebook image, published on loopback at notebook.port", () => {
    expect(notebook().inputs.image).toBe("bigdata-local/notebook:4.0.0");
    expect(notebook().inputs.hostname).toBe("notebook");
    expect(notebook().inputs.ports).toEqual([{ internal: 8888, external: 8888, ip: "127.0.0.1" }]);
    expect(notebook().inputs).toMatchObject({ memory: 1536, memorySwap: 1536, cpus: "1.0", restart: "unless-stopped", wait: true });
    expect((notebook().inputs.healthcheck as { tests: string[] }).tests[1]).toContain("/api/status");
    expect(notebook().dependsOn).toEqual(expect.arrayContaining([`${types.container}::bigdata-dev-spark-master`]));
    expect(named(resources, "bigdata-dev-notebook-notebooks").type).toBe(types.volume);
  });

  test("the token is a generated secret in a file, never in the environment or the command", () => {
    const password = named(resources, "bigdata-dev-notebook-token");
    expect(password.type).toBe(types.password);
    expect(password.inputs).toMatchObject({ length: 32, special: false });
    expect(upload(notebook(), tokenFile)).toBe(token);
    expect(notebook().secretInputs).toEqual(["uploads"]);
    const env = envOf(notebook());
    expect(env).toMatchObject({
      NOTEBOOK_TOKEN_FILE: tokenFile,
      SPARK_MASTER_URL: "spark://spark-master:7077",
      KAFKA_BOOTSTRAP_SERVERS: "kafka-1:9092",
      KAFKA_TOPIC: "web-crawler-test",
    });
    expect(JSON.stringify(env)).not.toContain(token);
    expect(JSON.stringify([notebook().inputs.entrypoints, notebook().inputs.command])).not.toContain(token);
    expect((notebook().inputs.command as string[]).join(" ")).toContain('JUPYTER_TOKEN="$(cat "$NOTEBOOK_TOKEN_FILE")"');
  });

  test("spark-defaults.conf makes the driver reachable by the executors and caps its cores", () => {
    expect(settings(upload(notebook(), sparkDefaults))).toMatchObject(driverSettings);
  });

  test("the sample notebook and the job module it imports are the repository's", () => {
    const files = readNotebookFiles();
    expect(upload(notebook(), sample)).toBe(files["hourly-aggregates.ipynb"]);
    expect(upload(notebook(), "/opt/spark/work-dir/samples/weather_job.py")).toBe(files["weather_job.py"]);
    const cells = (JSON.parse(files["hourly-aggregates.ipynb"]) as { cells: { source: string[] }[] }).cells.map((c) => c.source.join(""));
    expect(cells.join("\n")).toContain("wj.read_kafka(");
    expect(cells.join("\n")).toContain("HOURLY_OUTPUT");
  });

  test("a notebook.port of its own and the settings reach the container", async () => {
    const custom = await buildStack("dev", {
      notebook: { enabled: true, port: 18888, coresMax: 1, executorMemoryMb: 768, driverPort: 17078, blockManagerPort: 17079 },
    });
    const c = named(custom, "bigdata-dev-notebook");
    expect(c.inputs.ports).toEqual([{ internal: 8888, external: 18888, ip: "127.0.0.1" }]);
    expect(settings(upload(c, sparkDefaults))).toMatchObject({
      "spark.driver.port": "17078",
      "spark.blockManager.port": "17079",
      "spark.executor.memory": "768m",
    });
  });
});

test("without notebook.enabled there is no notebook, token or volume", async () => {
  const resources = await buildStack("dev");
  expect(resources.filter((r) => r.name.includes("notebook"))).toEqual([]);
});

describe("notebook on the swarm stack", () => {
  let resources: CapturedResource[];
  beforeAll(async () => {
    resources = await buildStack("swarm", enabled);
  });

  test("a service on the overlay network whose token is a swarm secret", () => {
    const service = named(resources, "bigdata-swarm-notebook");
    const task = service.inputs.taskSpec as {
      containerSpec: {
        image: string;
        env: Record<string, string>;
        secrets: { fileName: string; fileMode: number }[];
        configs: { fileName: string }[];
      };
      networksAdvanceds: { aliases: string[] }[];
      resources: { limits: { memoryBytes: number } };
    };
    expect(task.containerSpec.image).toBe("bigdata-platform/notebook:4.0.0");
    expect(task.networksAdvanceds[0].aliases).toContain("notebook");
    expect(task.containerSpec.secrets.map((s) => [s.fileName, s.fileMode])).toEqual([[tokenFile, 0o444]]);
    expect(task.containerSpec.configs.map((c) => c.fileName)).toEqual(expect.arrayContaining([sparkDefaults, sample]));
    expect(JSON.stringify(task.containerSpec.env)).not.toContain(token);
    expect(service.secretInputs).toEqual([]);
    const secrets = ofType(resources, "docker:index/secret:Secret").filter((s) => s.name.startsWith("bigdata-swarm-notebook"));
    expect(secrets).toHaveLength(1);
    expect(secrets[0].secretInputs).toEqual(["data"]);
    expect(JSON.stringify(service.inputs.endpointSpec)).toContain('"publishedPort":8888');
  });
});

describe("notebook on the k8s stack", () => {
  let resources: CapturedResource[];
  beforeAll(async () => {
    resources = await buildStack("k8s", enabled);
  });

  test("a pod with its token from a Secret, the driver's ports on its headless Service", () => {
    const set = ofType(resources, types.statefulSet).find((s) => s.name === "bigdata-k8s-notebook");
    expect(set).toBeDefined();
    const pod = (set!.inputs.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec;
    const container = pod.containers[0] as { image: string; env: { name: string; value?: string }[]; readinessProbe: unknown };
    expect(container.image).toBe("bigdata-platform/notebook:4.0.0");
    expect(container.env.find((e) => e.name === "NOTEBOOK_TOKEN_FILE")?.value).toBe(tokenFile);
    expect(JSON.stringify(container.env)).not.toContain(token);
    const secret = named(resources, "bigdata-k8s-notebook-secret");
    expect(secret.secretInputs).toEqual(["stringData"]);
    const configMap = ofType(resources, types.configMap).find((c) => c.name.startsWith("bigdata-k8s-notebook"));
    expect(JSON.stringify(configMap?.inputs.data)).toContain("spark.driver.host");
    const service = named(resources, "bigdata-k8s-notebook-svc");
    expect((service.inputs.spec as { clusterIP: string; ports: { port: number }[] }).clusterIP).toBe("None");
    expect((service.inputs.spec as { ports: { port: number }[] }).ports.map((p) => p.port)).toEqual([8888, 7078, 7079]);
    expect(named(resources, "bigdata-k8s-notebook-public").type).toBe(types.k8sService);
  });
});
