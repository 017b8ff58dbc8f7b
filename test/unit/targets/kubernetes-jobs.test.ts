import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesTarget } from "../../../targets/kubernetes/kubernetes-target";
import { type CapturedResource, captureResources, named, ofType } from "../support/capture";

let resources: CapturedResource[];

beforeAll(async () => {
  resources = await captureResources((transformations) => {
    const parent = new pulumi.ComponentResource("test:index:Parent", "parent", {}, { transformations });
    const target = new KubernetesTarget(
      { namePrefix: "t", namespace: "t", publicHost: "localhost", volumeSizeGi: 1, serviceType: "NodePort" },
      parent,
    );
    target.deploy(
      {
        name: "web",
        component: "web",
        image: "busybox",
        ports: [
          { name: "http", containerPort: 8080, published: 30080 },
          { name: "admin", containerPort: 9000 },
        ],
      },
      { parent },
    );
    target.runJob(
      {
        name: "job",
        component: "job",
        image: "busybox",
        command: ["sh", "/opt/run.sh"],
        files: [
          { path: "/opt/run.sh", content: "echo run" },
          { path: "/etc/job/token", content: pulumi.secret("job-token-value"), secret: true },
        ],
        user: "185",
        timeoutSeconds: 60,
      },
      { parent },
    );
  });
});

test("with NodePort services a published port is the node port, in front of the container port", () => {
  expect(named(resources, "t-web-public").inputs.spec).toEqual({
    type: "NodePort",
    selector: { "bigdata.platform/stack": "t", "bigdata.platform/workload": "web" },
    ports: [{ name: "http", port: 8080, targetPort: 8080, nodePort: 30080 }],
  });
});

test("pods get no Docker-link variables for Services (SPARK_WORKER_PORT=tcp://... would break Spark's worker)", () => {
  const specOf = (name: string) =>
    (named(resources, name).inputs.spec as { template: { spec: k8s.types.input.core.v1.PodSpec } }).template.spec;
  expect(specOf("t-web").enableServiceLinks).toBe(false);
  expect(specOf("t-job").enableServiceLinks).toBe(false);
});

test("a job's output is read back through the API server once the Job has completed", () => {
  const logs = named(resources, "t-job-logs");
  expect(logs.type).toBe("pulumi-nodejs:dynamic/kubernetes-job:JobLogs");
  expect(logs.inputs).toMatchObject({ namespace: "t", container: "job" });
  expect(logs.dependsOn).toEqual(["kubernetes:batch/v1:Job::t-job"]);
});

describe("a Kubernetes job's files and user", () => {
  const pod = () => (named(resources, "t-job").inputs.spec as { template: { spec: k8s.types.input.core.v1.PodSpec } }).template.spec;

  test("a secret file goes into a Secret, never into the ConfigMap, and both are mounted", () => {
    expect(Object.keys(named(resources, "t-job-files").inputs.data as object)).toEqual(["opt_run.sh"]);
    const secret = named(resources, "t-job-secret");
    expect(secret.inputs.stringData).toEqual({ "file.etc_job_token": "job-token-value" });
    expect(secret.secretInputs).toContain("stringData");
    const mounts = (pod().containers as k8s.types.input.core.v1.Container[])[0].volumeMounts as k8s.types.input.core.v1.VolumeMount[];
    expect(mounts.map((m) => [m.name, m.mountPath])).toEqual([
      ["files", "/opt/run.sh"],
      ["secret-files", "/etc/job/token"],
    ]);
    expect(ofType(resources, "kubernetes:core/v1:ConfigMap")).toHaveLength(1);
  });

  test("the job waits for the objects holding its files and runs as the given numeric user", () => {
    expect(named(resources, "t-job").dependsOn).toEqual(
      expect.arrayContaining(["kubernetes:core/v1:Secret::t-job-secret", "kubernetes:core/v1:ConfigMap::t-job-files"]),
    );
    expect((pod().containers as k8s.types.input.core.v1.Container[])[0].securityContext).toEqual({ runAsUser: 185 });
  });
});
