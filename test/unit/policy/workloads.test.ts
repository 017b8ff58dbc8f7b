import { livenessProbes, resourceLimits, restartAndHealthcheck } from "../../../policy/policies/workloads";
import { dockerLabelList, validateResource } from "./harness";

const healthcheck = { tests: ["CMD-SHELL", "healthcheck.sh"], interval: "5s" };
const container = (props: Record<string, unknown>) => ({
  type: "docker:index/container:Container",
  name: "bigdata-prod-mariadb",
  props: {
    labels: dockerLabelList({ "bigdata.platform/component": "mariadb" }),
    restart: "unless-stopped",
    healthcheck,
    memory: 1024,
    cpus: "1.0",
    ...props,
  },
});
const podTemplate = (c: Record<string, unknown>) => ({
  spec: { template: { spec: { containers: [{ name: "kafka", image: "kafka:4.1.0", ...c }] } } },
});
const statefulSet = (c: Record<string, unknown>) => ({
  type: "kubernetes:apps/v1:StatefulSet",
  name: "bigdata-prod-kafka-1",
  props: { metadata: { labels: { "bigdata.platform/component": "kafka" } }, ...podTemplate(c) },
});
const probe = { exec: { command: ["sh", "-c", "true"] } };

describe("workloads-restart-and-health-check", () => {
  test("a docker container with a restart policy and a healthcheck passes; without either it is rejected", () => {
    expect(validateResource(restartAndHealthcheck, container({}))).toEqual([]);
    const messages = validateResource(restartAndHealthcheck, container({ restart: "no", healthcheck: undefined }));
    expect(messages).toEqual([expect.stringContaining('restart ("no")'), expect.stringContaining("healthcheck")]);
    expect(messages[0]).toContain("always, unless-stopped, on-failure");
  });

  test("a one-shot job container (attached until it exits) needs neither", () => {
    expect(validateResource(restartAndHealthcheck, container({ restart: "no", healthcheck: undefined, attach: true }))).toEqual([]);
  });

  test("a swarm service needs a restart condition and a healthcheck", () => {
    const service = (taskSpec: Record<string, unknown>) => ({ type: "docker:index/service:Service", name: "s", props: { taskSpec } });
    expect(
      validateResource(restartAndHealthcheck, service({ restartPolicy: { condition: "any" }, containerSpec: { healthcheck } })),
    ).toEqual([]);
    expect(
      validateResource(
        restartAndHealthcheck,
        service({ restartPolicy: { condition: "none" }, containerSpec: { healthcheck: { tests: ["NONE"] } } }),
      ),
    ).toHaveLength(2);
  });

  test("a Kubernetes StatefulSet needs a readiness probe", () => {
    expect(validateResource(restartAndHealthcheck, statefulSet({ readinessProbe: probe }))).toEqual([]);
    expect(validateResource(restartAndHealthcheck, statefulSet({}))).toEqual([
      expect.stringContaining("spec.template.spec.containers[0].readinessProbe"),
    ]);
  });
});

describe("workloads-resource-limits", () => {
  test("memory and CPU limits pass; missing ones name the field and the stack setting", () => {
    expect(validateResource(resourceLimits, container({}))).toEqual([]);
    expect(validateResource(resourceLimits, container({ memory: undefined, cpus: undefined }))).toEqual([
      "bigdata-prod-mariadb: no memory and no cpus; set bigdata:mariadb.resources.memoryMb and .cpus.",
    ]);
  });

  test("Kubernetes containers need limits.memory and limits.cpu", () => {
    expect(validateResource(resourceLimits, statefulSet({ resources: { limits: { memory: "1Gi", cpu: "1" } } }))).toEqual([]);
    expect(validateResource(resourceLimits, statefulSet({ resources: { limits: { memory: "1Gi" } } }))).toEqual([
      expect.stringContaining("no spec.template.spec.containers[0].resources.limits.cpu; set bigdata:kafka.resources"),
    ]);
  });

  test("swarm services need limits.memoryBytes and limits.nanoCpus", () => {
    const service = (limits: Record<string, unknown>) => ({
      type: "docker:index/service:Service",
      name: "s",
      props: { taskSpec: { resources: { limits } } },
    });
    expect(validateResource(resourceLimits, service({ memoryBytes: 1 << 30, nanoCpus: 1e9 }))).toEqual([]);
    expect(validateResource(resourceLimits, service({ memoryBytes: 1 << 30 }))).toEqual([
      expect.stringContaining("taskSpec.resources.limits.nanoCpus"),
    ]);
  });
});

describe("kubernetes-liveness-probes", () => {
  test("a StatefulSet container without a liveness probe is listed; with one it passes", () => {
    expect(validateResource(livenessProbes, statefulSet({ readinessProbe: probe }))).toEqual([
      expect.stringContaining("containers[0].livenessProbe is not set"),
    ]);
    expect(validateResource(livenessProbes, statefulSet({ readinessProbe: probe, livenessProbe: probe }))).toEqual([]);
  });

  test("Jobs run to completion and are not checked", () => {
    const job = { type: "kubernetes:batch/v1:Job", name: "j", props: podTemplate({}) };
    expect(validateResource(livenessProbes, job)).toEqual([]);
  });
});
