import * as pulumi from "@pulumi/pulumi";
import type { JobRun, JobSpec, Workload, WorkloadSpec } from "../../../model/workload";
import type { Target } from "../../../model/target";
import { targetFor, targetRegistry } from "../../../targets/registry";
import { type CapturedResource, captureResources } from "../support/capture";
import { configSource, loadConfig } from "../support/stack-config";

/**
 * The contract every registered target keeps, checked by running the same workload and job through each:
 * a new target passes this file without an edit to it.
 */
const secretValue = "s3cret-token-value";
const workload: WorkloadSpec = {
  name: "web",
  component: "web",
  image: "busybox:1.36.1",
  env: { PLAIN_SETTING: "plain" },
  secretEnv: { WEB_TOKEN: pulumi.secret(secretValue) },
  files: [{ path: "/etc/web/web.conf", content: "listen 8080" }],
  ports: [{ name: "http", containerPort: 8080, published: 30080 }],
  volumes: [{ name: "data", mountPath: "/var/lib/web" }],
  healthcheck: { shell: "test -f /etc/web/web.conf", intervalSeconds: 5, timeoutSeconds: 3, retries: 3, startPeriodSeconds: 10 },
  resources: { cpus: 1, memoryMb: 256 },
};
const job: JobSpec = {
  name: "once",
  component: "once",
  image: "busybox:1.36.1",
  command: ["sh", "-c", "echo conformance-job-ran"],
  volumes: [{ name: "shared-data", mountPath: "/data", shared: true }],
  timeoutSeconds: 60,
  triggers: { "run-id": "conformance-run-1" },
};

/** A config every target accepts: one declared node, which targets that place by nodes need. */
const smallestConfig = (kind: string) => ({ target: kind, crawler: { mode: "load" }, nodes: [{ name: "node-1" }] });

const text = (value: unknown) => JSON.stringify(value);

describe.each(targetRegistry.map((t) => t.kind))("target %s keeps the common contract", (kind) => {
  let resources: CapturedResource[];
  let deployed: Workload;
  let run: JobRun;
  let target: Target;
  const prefix = "bigdata-conformance";

  beforeAll(async () => {
    const cfg = loadConfig(configSource(smallestConfig(kind), { stack: "conformance" }));
    resources = await captureResources((transformations) => {
      const parent = new pulumi.ComponentResource("test:index:Parent", "parent", {}, { transformations });
      target = targetFor(cfg)(parent);
      deployed = target.deploy(workload, { parent });
      run = target.runJob(job, { parent });
    });
  });

  const created = () => resources.filter((r) => r.type !== "test:index:Parent");
  const mentioning = (needle: string) => created().filter((r) => text(r.inputs).includes(needle));

  test("every object it creates is named after the stack's prefix", () => {
    expect(
      created()
        .filter((r) => !r.name.startsWith(`${prefix}-`) && r.name !== prefix)
        .map((r) => r.name),
    ).toEqual([]);
  });

  test("the workload carries the stack, component and workload labels", () => {
    const labelled = created().filter((r) =>
      ["bigdata.platform/stack", "bigdata.platform/component", "bigdata.platform/workload"].every((l) => text(r.inputs).includes(l)),
    );
    expect(labelled.some((r) => text(r.inputs).includes(`"${prefix}"`) && text(r.inputs).includes('"web"'))).toBe(true);
  });

  test("its published port is published, and its URL names the public host", () => {
    expect(mentioning("30080").length).toBeGreaterThan(0);
    expect(target.publishedUrl(30080, "/status")).toBe("http://localhost:30080/status");
  });

  test("its volume is mounted where the spec says, and so are its files", () => {
    expect(mentioning("/var/lib/web").length).toBeGreaterThan(0);
    expect(mentioning("/etc/web/web.conf").length).toBeGreaterThan(0);
  });

  test("a secret value appears only inside inputs the engine stores encrypted", () => {
    // Swarm secrets hold their data base64-encoded.
    const forms = [secretValue, Buffer.from(secretValue).toString("base64")];
    const holders = created().flatMap((r) =>
      Object.keys(r.inputs)
        .filter((k) => forms.some((f) => text(r.inputs[k]).includes(f)))
        .map((k) => ({ r, k })),
    );
    expect(holders.length).toBeGreaterThan(0);
    expect(holders.filter(({ r, k }) => !r.secretInputs.includes(k)).map(({ r, k }) => `${r.name}.${k}`)).toEqual([]);
  });

  test("the workload has resources to wait on, which complete when it is healthy", () => {
    expect(deployed.readiness.length).toBeGreaterThan(0);
  });

  test("a job runs its command, can be waited on, and carries its triggers", () => {
    expect(run.name).toContain("once");
    expect(run.resources.length).toBeGreaterThan(0);
    expect(mentioning("echo conformance-job-ran").length).toBeGreaterThan(0);
    expect(mentioning("conformance-run-1").length).toBeGreaterThan(0);
    expect(mentioning("/data").length).toBeGreaterThan(0);
  });
});
