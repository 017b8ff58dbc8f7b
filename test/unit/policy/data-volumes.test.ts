import { dataVolumesProtected } from "../../../policy/policies/data-volumes";
import { type FakeResource, dockerLabelList, validateStack } from "./harness";

const volume = (component: string, protect: boolean, stack = "prod"): FakeResource => ({
  type: "docker:index/volume:Volume",
  name: `bigdata-${stack}-${component}-data`,
  stack,
  protect,
  props: { labels: dockerLabelList({ "bigdata.platform/component": component }) },
});

describe("data-volumes-protected", () => {
  test("unprotected MariaDB, Kafka and sink volumes outside dev are listed", () => {
    const found = validateStack(dataVolumesProtected, [volume("mariadb", false), volume("kafka", false), volume("kafka-connect", false)]);
    expect(found.map((f) => f.message)).toEqual([
      expect.stringMatching(/^bigdata-prod-mariadb-data: this mariadb data volume is not protected.*protect: true/),
      expect.stringContaining("bigdata-prod-kafka-data"),
      expect.stringContaining("bigdata-prod-kafka-connect-data"),
    ]);
    expect(found[0].urn).toContain("::bigdata-prod-mariadb-data");
  });

  test("protected data volumes, other volumes and dev stacks pass", () => {
    expect(validateStack(dataVolumesProtected, [volume("mariadb", true), volume("spark", false)])).toEqual([]);
    expect(validateStack(dataVolumesProtected, [volume("mariadb", false, "dev")])).toEqual([]);
  });

  const statefulSet = (retention?: string): FakeResource => ({
    type: "kubernetes:apps/v1:StatefulSet",
    name: "bigdata-prod-mariadb",
    props: {
      metadata: { namespace: "bigdata", labels: { "bigdata.platform/component": "mariadb" } },
      spec: {
        volumeClaimTemplates: [{ metadata: { name: "data" } }],
        ...(retention ? { persistentVolumeClaimRetentionPolicy: { whenDeleted: retention } } : {}),
      },
    },
  });
  const namespace = (protect: boolean): FakeResource => ({
    type: "kubernetes:core/v1:Namespace",
    name: "bigdata",
    protect,
    props: { metadata: { name: "bigdata" } },
  });

  test("on Kubernetes the namespace holding the claims must be protected and claims must be retained", () => {
    expect(validateStack(dataVolumesProtected, [namespace(false), statefulSet()]).map((f) => f.message)).toEqual([
      expect.stringContaining("namespace bigdata holds the claims of bigdata-prod-mariadb and is not protected"),
    ]);
    expect(validateStack(dataVolumesProtected, [namespace(true), statefulSet("Delete")]).map((f) => f.message)).toEqual([
      expect.stringContaining("persistentVolumeClaimRetentionPolicy.whenDeleted is Delete"),
    ]);
    expect(validateStack(dataVolumesProtected, [namespace(true), statefulSet("Retain")])).toEqual([]);
  });
});
