import { Platform } from "../../../components/platform";
import { sourcesHash } from "../../../components/benchmark-job";
import { readJobSources } from "../../../components/benchmark-job";
import { readNotebookFiles } from "../../../components/notebook";
import { targetFor } from "../../../targets/registry";
import { type CapturedResource, captureResources, named, ofType } from "../support/capture";
import { configSource, loadConfig } from "../support/stack-config";
import { testDdl, types } from "../stacks/build";

const base = { crawler: { mode: "load" }, benchmark: { enabled: true, sizesMb: [20, 40], seed: 7 } };

async function build(values: Record<string, unknown>, stack = "bench"): Promise<CapturedResource[]> {
  return captureResources((transformations) => {
    const config = loadConfig(configSource(values, { stack }));
    new Platform(
      config.namePrefix,
      { config, target: targetFor(config), tableDdlTemplate: testDdl, jobSources: readJobSources(), notebookFiles: readNotebookFiles() },
      { transformations },
    );
  });
}

const labelsOf = (r: CapturedResource) =>
  Object.fromEntries((r.inputs.labels as { label: string; value: string }[]).map((l) => [l.label, l.value]));
const argv = (r: CapturedResource) => [...((r.inputs.entrypoints as string[]) ?? []), ...((r.inputs.command as string[]) ?? [])];
const flag = (args: string[], name: string) => args[args.indexOf(name) + 1];

describe("benchmark job on the docker target", () => {
  let resources: CapturedResource[];
  beforeAll(async () => {
    resources = await build({ target: "docker", ...base });
  });

  test("runs local mode, then cluster mode after it, as one-shot containers whose output is kept", () => {
    const local = named(resources, "bigdata-bench-benchmark-local");
    const cluster = named(resources, "bigdata-bench-benchmark-cluster");
    for (const job of [local, cluster]) {
      expect(job.type).toBe(types.container);
      expect(job.inputs).toMatchObject({
        attach: true,
        logs: true,
        mustRun: false,
        restart: "no",
        image: expect.stringMatching(/^apache\/spark:4\./),
      });
      expect(job.dependsOn).toEqual(
        expect.arrayContaining([`${types.container}::bigdata-bench-spark-worker-1`, `${types.container}::bigdata-bench-spark-worker-2`]),
      );
    }
    expect(cluster.dependsOn).toContain(`${types.container}::bigdata-bench-benchmark-local`);
    expect(local.dependsOn).not.toContain(`${types.container}::bigdata-bench-benchmark-cluster`);
  });

  test("both modes process the same datasets; local mode gets the cluster's cores", () => {
    const local = argv(named(resources, "bigdata-bench-benchmark-local"));
    const cluster = argv(named(resources, "bigdata-bench-benchmark-cluster"));
    for (const args of [local, cluster]) {
      expect(flag(args, "--sizes-mb")).toBe("20,40");
      expect(flag(args, "--seed")).toBe("7");
      expect(flag(args, "--data-dir")).toBe("/var/lib/spark-data/weather");
    }
    expect(flag(local, "--mode")).toBe("local");
    expect(flag(local, "--local-cores")).toBe("2");
    expect(named(resources, "bigdata-bench-benchmark-local").inputs.cpus).toBe("2.0");
    expect(flag(cluster, "--mode")).toBe("cluster");
    expect(flag(cluster, "--master")).toBe("spark://spark-master:7077");
    expect(flag(cluster, "--executors")).toBe("2");
  });

  test("the job code is shipped into the containers and its hash is a visible trigger", () => {
    const sources = readJobSources();
    for (const name of ["bigdata-bench-benchmark-local", "bigdata-bench-benchmark-cluster"]) {
      const job = named(resources, name);
      const uploads = job.inputs.uploads as { file: string; content: string }[];
      expect(uploads.map((u) => u.file).sort()).toEqual([
        "/opt/bigdata/jobs/generate_dataset.py",
        "/opt/bigdata/jobs/run_benchmark.py",
        "/opt/bigdata/jobs/weather_job.py",
      ]);
      expect(uploads.find((u) => u.file.endsWith("weather_job.py"))?.content).toBe(sources["weather_job.py"]);
      expect(labelsOf(job)["bigdata.platform/trigger.job-sha256"]).toBe(sourcesHash(sources));
    }
  });

  test("workers and both jobs share one data volume at the same path", () => {
    const volumes = ofType(resources, types.volume).filter((v) => v.name === "bigdata-bench-spark-data");
    expect(volumes).toHaveLength(1);
    for (const name of ["spark-worker-1", "spark-worker-2", "benchmark-local", "benchmark-cluster"]) {
      expect(named(resources, `bigdata-bench-${name}`).inputs.volumes).toEqual([
        { volumeName: "bigdata-bench-spark-data", containerPath: "/var/lib/spark-data" },
      ]);
    }
    expect(named(resources, "bigdata-bench-spark-master").inputs.volumes ?? []).toEqual([]);
  });

  test("no benchmark, no data volume and no job containers when it is off", async () => {
    const off = await build({ target: "docker", crawler: { mode: "load" } }, "off");
    expect(off.filter((r) => r.name.includes("benchmark") || r.name.includes("spark-data"))).toEqual([]);
  });
});

describe("what makes the benchmark run again", () => {
  const jobInputs = async (values: Record<string, unknown>) => {
    const resources = await build({ target: "docker", ...values });
    return {
      local: named(resources, "bigdata-bench-benchmark-local").inputs,
      cluster: named(resources, "bigdata-bench-benchmark-cluster").inputs,
    };
  };
  // Each build runs the whole program under mocks (seconds on a slow machine): the base is built once.
  let before: Awaited<ReturnType<typeof jobInputs>>;
  beforeAll(async () => {
    before = await jobInputs(base);
  });

  test("the same config changes nothing", async () => {
    expect(await jobInputs(base)).toEqual(before);
  });

  test("another worker count changes the cluster run only", async () => {
    const three = await jobInputs({ ...base, spark: { workers: { count: 3 } }, benchmark: { ...base.benchmark, localCores: 2 } });
    expect(three.local).toEqual(before.local);
    expect(three.cluster).not.toEqual(before.cluster);
  });

  test("a new runId changes both runs", async () => {
    const rerun = await jobInputs({ ...base, benchmark: { ...base.benchmark, runId: "again" } });
    expect(rerun.local).not.toEqual(before.local);
    expect(rerun.cluster).not.toEqual(before.cluster);
  });

  test("another seed changes both runs", async () => {
    const seed = await jobInputs({ ...base, benchmark: { ...base.benchmark, seed: 8 } });
    expect(seed.local).not.toEqual(before.local);
    expect(seed.cluster).not.toEqual(before.cluster);
  });
});

test("on kubernetes the runs are batch Jobs sharing a ReadWriteMany claim with the workers", async () => {
  const resources = await build({ target: "kubernetes", imageSet: "official", ...base });
  const jobs = ofType(resources, "kubernetes:batch/v1:Job");
  expect(jobs.map((j) => j.name).sort()).toEqual(["bigdata-bench-benchmark-cluster", "bigdata-bench-benchmark-local"]);
  const claims = ofType(resources, "kubernetes:core/v1:PersistentVolumeClaim");
  expect(claims).toHaveLength(1);
  expect(claims[0].inputs).toMatchObject({ spec: { accessModes: ["ReadWriteMany"] } });
  const workers = named(resources, "bigdata-bench-spark-worker");
  expect(workers.type).toBe(types.deployment);
  const pod = (workers.inputs as { spec: { template: { spec: { volumes: { name: string; persistentVolumeClaim?: unknown }[] } } } }).spec
    .template.spec;
  expect(pod.volumes).toEqual(expect.arrayContaining([{ name: "spark-data", persistentVolumeClaim: { claimName: "spark-data" } }]));
  const local = jobs.find((j) => j.name.endsWith("local"))!;
  expect(local.inputs).toMatchObject({ spec: { backoffLimit: 0, template: { spec: { restartPolicy: "Never" } } } });
  // Label values may not hold free text such as "2 workers x 1 cores": triggers are annotations.
  const cluster = jobs.find((j) => j.name.endsWith("cluster"))!;
  const template = (
    cluster.inputs as { spec: { template: { metadata: { labels: Record<string, string>; annotations: Record<string, string> } } } }
  ).spec.template.metadata;
  expect(template.annotations).toMatchObject({
    "bigdata.platform/trigger.cluster": "2 workers x 1 cores",
    "bigdata.platform/trigger.job-sha256": sourcesHash(readJobSources()),
  });
  for (const value of Object.values(template.labels)) expect(value).toMatch(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/);
});

test("on a swarm the workers, both runs and their data volume are all on the workers' node, which destroy then empties", async () => {
  const nodes = [
    { name: "node-1", labels: { role: "data", kafka: "yes" }, dockerHost: "tcp://10.0.0.11:2375" },
    { name: "node-2", labels: { spark: "worker" }, dockerHost: "tcp://10.0.0.12:2375" },
  ];
  const resources = await build({
    target: "swarm",
    imageSet: "official",
    nodes,
    ...base,
    mariadb: { placement: { role: "data" } },
    kafka: { brokers: 1, controllers: 0, defaultReplicationFactor: 1, minInsyncReplicas: 1, brokerPlacement: { kafka: "yes" } },
    kafkaConnect: { placement: { role: "data" }, internalTopicReplicationFactor: 1 },
    spark: { masterPlacement: { role: "data" }, workers: { count: 2, placement: { spark: "worker" } } },
  });
  const onNode2 = "pulumi:providers:docker::bigdata-bench-node-node-2";
  const dataVolumes = ofType(resources, types.volume).filter((v) => v.inputs.name === "bigdata-bench-spark-data");
  expect(dataVolumes.map((v) => [v.name, v.provider])).toEqual([["bigdata-bench-spark-data-on-node-2", onNode2]]);
  for (const run of ["local", "cluster"]) expect(named(resources, `bigdata-bench-benchmark-${run}`).provider).toBe(onNode2);
  const workers = named(resources, "bigdata-bench-spark-worker");
  expect((workers.inputs.taskSpec as { placement: { constraints: string[] } }).placement.constraints).toEqual([
    "node.labels.spark==worker",
    "node.hostname==node-2",
  ]);
  expect(named(resources, "bigdata-bench-spark-worker-volumes-freed").dependsOn).toEqual([
    `${types.volume}::bigdata-bench-spark-data-on-node-2`,
  ]);
});
