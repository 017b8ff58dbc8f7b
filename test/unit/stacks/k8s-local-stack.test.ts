import type { CapturedResource } from "../support/capture";
import { named, ofType } from "../support/capture";
import { buildStack, types } from "./build";

let resources: CapturedResource[];

beforeAll(async () => {
  resources = await buildStack("k8s-local");
});

describe("k8s-local stack (the local cluster of test/kubernetes/cluster.sh)", () => {
  test("publishes every port as a node port in the cluster's published range", () => {
    const spec = (name: string) =>
      named(resources, `bigdata-k8s-local-${name}-public`).inputs.spec as {
        type: string;
        ports: { nodePort: number; port: number; targetPort: number }[];
      };
    const published = ofType(resources, types.k8sService)
      .filter((s) => s.name.endsWith("-public"))
      .map((s) => s.name.replace(/^bigdata-k8s-local-|-public$/g, ""))
      .sort();
    expect(published).toEqual(["connect", "console", "kafka-1", "kafka-2", "kafka-3", "mariadb", "spark-master"]);
    for (const name of published) expect(spec(name).type).toBe("NodePort");
    expect(spec("mariadb").ports).toEqual([{ name: "mysql", port: 3306, targetPort: 3306, nodePort: 30001 }]);
    expect(spec("kafka-2").ports).toEqual([{ name: "kafka-external", port: 30012, targetPort: 30012, nodePort: 30012 }]);
    expect(spec("console").ports).toEqual([
      { name: "topics", port: 8080, targetPort: 8080, nodePort: 30004 },
      { name: "connect", port: 8081, targetPort: 8081, nodePort: 30005 },
    ]);
    const nodePorts = published.flatMap((n) => spec(n).ports.map((p) => p.nodePort));
    for (const p of nodePorts) expect(p).toBeGreaterThanOrEqual(30000);
    for (const p of nodePorts) expect(p).toBeLessThanOrEqual(30049);
  });

  test("claims use the cluster's StorageClass; one broker per node, workers on the spark nodes", () => {
    const claims = ofType(resources, "kubernetes:core/v1:PersistentVolumeClaim");
    expect(claims.map((c) => (c.inputs.spec as { storageClassName: string }).storageClassName)).toEqual(["bigdata-local"]);
    const nodeSelector = (name: string) =>
      (named(resources, `bigdata-k8s-local-${name}`).inputs.spec as { template: { spec: { nodeSelector: Record<string, string> } } })
        .template.spec.nodeSelector;
    expect([1, 2, 3].map((i) => nodeSelector(`kafka-${i}`)["kubernetes.io/hostname"])).toEqual(["node-1", "node-2", "node-3"]);
    expect(nodeSelector("spark-worker")).toEqual({ "bigdata.spark": "true" });
    expect(nodeSelector("mariadb")).toMatchObject({ "bigdata.data": "true" });
  });
});
