import { unpinnedReason } from "../../../model/image-reference";
import { imagesPinned } from "../../../policy/policies/images";
import { validateResource } from "./harness";

const container = (image: string) => ({ type: "docker:index/container:Container", name: "bigdata-prod-kafka-1", props: { image } });

describe("images-pinned", () => {
  test.each(["bigdata-local/kafka:4.3.1", "mariadb:11.4.5", "registry.example:5000/team/app:1.2", `app@sha256:${"a".repeat(64)}`])(
    "%s is pinned",
    (image) => {
      expect(unpinnedReason(image)).toBeUndefined();
      expect(validateResource(imagesPinned, container(image))).toEqual([]);
    },
  );

  test.each(["mariadb", "mariadb:latest", "registry.example:5000/team/app"])("%s is rejected, naming the resource and field", (image) => {
    const [message] = validateResource(imagesPinned, container(image));
    expect(message).toMatch(/^bigdata-prod-kafka-1: image ".*" (has no tag|uses the moving tag `latest`)/);
    expect(message).toMatch(/version tag .* or a digest/);
  });

  test("swarm services and Kubernetes pod specs are checked too", () => {
    const service = { type: "docker:index/service:Service", name: "s", props: { taskSpec: { containerSpec: { image: "apache/kafka" } } } };
    expect(validateResource(imagesPinned, service)).toEqual([expect.stringContaining("taskSpec.containerSpec.image")]);
    const deployment = {
      type: "kubernetes:apps/v1:Deployment",
      name: "d",
      props: {
        spec: {
          template: {
            spec: { initContainers: [{ name: "i", image: "busybox:1.36" }], containers: [{ name: "c", image: "spark:latest" }] },
          },
        },
      },
    };
    expect(validateResource(imagesPinned, deployment)).toEqual([
      expect.stringContaining('spec.template.spec.containers[0].image "spark:latest"'),
    ]);
    deployment.props.spec.template.spec.containers[0].image = "spark:4.0.0";
    expect(validateResource(imagesPinned, deployment)).toEqual([]);
  });
});
