import type * as k8s from "@pulumi/kubernetes";
import type { CapturedResource } from "../support/capture";
import { named, ofType } from "../support/capture";
import { buildStack, types } from "./build";
import { podFilesDigestAnnotation } from "../../../targets/kubernetes/pod-files-digest";

type PodTemplate = { spec: k8s.types.input.core.v1.PodSpec };
let resources: CapturedResource[];
const podSpec = (name: string) =>
  (named(resources, `bigdata-k8s-${name}`).inputs.spec as { template: PodTemplate }).template.spec as k8s.types.input.core.v1.PodSpec;

beforeAll(async () => {
  resources = await buildStack("k8s");
});

describe("k8s stack (Kubernetes)", () => {
  test("declares a namespace, StatefulSets for stateful workloads and Deployments for the rest", () => {
    expect(ofType(resources, types.namespace).map((n) => n.name)).toEqual(["bigdata"]);
    expect(
      ofType(resources, types.statefulSet)
        .map((s) => s.name)
        .sort(),
    ).toEqual(
      ["connect", "kafka-1", "kafka-2", "kafka-3", "kafka-controller-1", "kafka-controller-2", "kafka-controller-3", "mariadb"].map(
        (n) => `bigdata-k8s-${n}`,
      ),
    );
    expect(
      ofType(resources, types.deployment)
        .map((s) => s.name)
        .sort(),
    ).toEqual(["console", "crawler", "spark-master", "spark-worker"].map((n) => `bigdata-k8s-${n}`));
  });

  test("takes its workloads' fields back from a hand change (kubectl scale): the drift repair's apply forces its fields", () => {
    for (const w of [...ofType(resources, types.statefulSet), ...ofType(resources, types.deployment)]) {
      expect((w.inputs.metadata as { annotations?: Record<string, string> }).annotations).toEqual({ "pulumi.com/patchForce": "true" });
    }
  });

  test("rolls a workload's pods when one of its files changes: a digest of its files in the pod template", async () => {
    const digestOf = (found: CapturedResource[], name: string) =>
      (named(found, `bigdata-k8s-${name}`).inputs.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template
        .metadata.annotations?.[podFilesDigestAnnotation];
    for (const name of ["kafka-1", "kafka-controller-1", "connect", "console"]) expect(digestOf(resources, name)).toMatch(/^[0-9a-f]{64}$/);
    // Kafka's server.properties holds the partitions of auto-created topics; Connect's worker properties do not.
    const morePartitions = await buildStack("k8s", { kafka: { partitions: 6 } });
    expect(digestOf(morePartitions, "kafka-1")).not.toBe(digestOf(resources, "kafka-1"));
    expect(digestOf(morePartitions, "connect")).toBe(digestOf(resources, "connect"));
  });

  test("gives singletons and stateful sets headless Services, replica sets a ClusterIP", () => {
    const svc = (name: string) => named(resources, `bigdata-k8s-${name}-svc`).inputs.spec as { clusterIP?: string };
    expect(svc("kafka-1").clusterIP).toBe("None");
    expect(svc("spark-master").clusterIP).toBe("None");
    expect(svc("spark-worker").clusterIP).toBeUndefined();
  });

  test("keeps passwords in a Secret referenced by the pods", () => {
    const secret = named(resources, "bigdata-k8s-mariadb-secret");
    expect(Object.keys(secret.inputs.stringData as object).sort()).toEqual([
      "MARIADB_CDC_PASSWORD",
      "MARIADB_PASSWORD",
      "MARIADB_ROOT_PASSWORD",
    ]);
    const env = (podSpec("mariadb").containers as k8s.types.input.core.v1.Container[])[0].env as {
      name: string;
      valueFrom?: unknown;
      value?: string;
    }[];
    expect(env.find((e) => e.name === "MARIADB_PASSWORD")).toEqual({
      name: "MARIADB_PASSWORD",
      valueFrom: { secretKeyRef: { name: "mariadb-secret", key: "MARIADB_PASSWORD" } },
    });
  });

  test("publishes ports through LoadBalancer Services", () => {
    const publicServices = ofType(resources, types.k8sService).filter((s) => s.name.endsWith("-public"));
    expect(publicServices.map((s) => s.name).sort()).toEqual(
      ["connect", "console", "kafka-1", "kafka-2", "kafka-3", "mariadb", "spark-master"].map((n) => `bigdata-k8s-${n}-public`),
    );
    expect((named(resources, "bigdata-k8s-kafka-3-public").inputs.spec as { type: string; ports: unknown[] }).ports).toEqual([
      { name: "kafka-external", port: 19094, targetPort: 19094 },
    ]);
  });

  test("mounts configuration files from ConfigMaps and probes readiness", () => {
    const container = (podSpec("kafka-2").containers as k8s.types.input.core.v1.Container[])[0];
    expect(container.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: "files", mountPath: "/etc/kafka/server.properties", subPath: "etc_kafka_server.properties", readOnly: true },
      ]),
    );
    expect(container.readinessProbe).toMatchObject({
      exec: { command: ["sh", "-c", expect.stringContaining("kafka-broker-api-versions.sh")] },
    });
    const config = named(resources, "bigdata-k8s-kafka-2-files").inputs.data as Record<string, string>;
    expect(config["etc_kafka_server.properties"]).toContain(
      "controller.quorum.voters=1001@kafka-controller-1:9093,1002@kafka-controller-2:9093,1003@kafka-controller-3:9093\n",
    );
    expect(config["etc_kafka_server.properties"]).toContain("min.insync.replicas=2\n");
  });

  test("manages connectors through the configured admin URL", () => {
    expect(named(resources, "web-crawler-test-source").inputs.connectUrl).toBe("http://localhost:8083");
  });
});
