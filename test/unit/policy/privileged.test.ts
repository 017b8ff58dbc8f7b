import { noPrivilegedContainers } from "../../../policy/policies/privileged";
import { validateResource } from "./harness";

describe("no-privileged-containers-or-runtime-socket", () => {
  test("a privileged docker container or one mounting the Docker socket is rejected", () => {
    const c = {
      type: "docker:index/container:Container",
      name: "bigdata-prod-crawler",
      props: { privileged: true, volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }] },
    };
    expect(validateResource(noPrivilegedContainers, c)).toEqual([
      expect.stringMatching(/^bigdata-prod-crawler: privileged is true/),
      expect.stringContaining("volumes[0].hostPath mounts the Docker socket /var/run/docker.sock"),
    ]);
  });

  test("a swarm service binding the socket and a privileged Kubernetes container are rejected", () => {
    const service = {
      type: "docker:index/service:Service",
      name: "s",
      props: {
        taskSpec: { containerSpec: { mounts: [{ type: "bind", source: "/var/run/docker.sock", target: "/var/run/docker.sock" }] } },
      },
    };
    expect(validateResource(noPrivilegedContainers, service)).toHaveLength(1);
    const deployment = {
      type: "kubernetes:apps/v1:Deployment",
      name: "d",
      props: {
        spec: {
          template: {
            spec: {
              containers: [{ name: "c", securityContext: { privileged: true } }],
              volumes: [{ name: "s", hostPath: { path: "/run/containerd/containerd.sock" } }],
            },
          },
        },
      },
    };
    expect(validateResource(noPrivilegedContainers, deployment)).toEqual([
      expect.stringContaining("securityContext.privileged"),
      expect.stringContaining("volumes[0].hostPath.path"),
    ]);
  });

  test("an ordinary container with named volumes passes", () => {
    const c = {
      type: "docker:index/container:Container",
      name: "c",
      props: { privileged: false, volumes: [{ volumeName: "bigdata-prod-mariadb-data", containerPath: "/var/lib/mysql" }] },
    };
    expect(validateResource(noPrivilegedContainers, c)).toEqual([]);
  });
});
