import { adminEndpointsBeyondTheHost, adminEndpointsNotOnAllInterfaces } from "../../../policy/policies/admin-endpoints";
import { dockerLabelList, validateResource } from "./harness";

const mariadb = (ip: string | undefined, stack = "prod") => ({
  type: "docker:index/container:Container",
  name: "bigdata-prod-mariadb",
  stack,
  props: {
    labels: dockerLabelList({ "bigdata.platform/component": "mariadb" }),
    ports: [{ internal: 3306, external: 3306, ...(ip === undefined ? {} : { ip }) }],
  },
});

describe("admin-endpoints-not-on-all-interfaces (docker)", () => {
  test.each(["0.0.0.0", "::", undefined])("MariaDB published on %s outside dev is rejected", (ip) => {
    const [message] = validateResource(adminEndpointsNotOnAllInterfaces, mariadb(ip));
    expect(message).toMatch(/^bigdata-prod-mariadb: ports\[0\] publishes MariaDB .* every interface/);
    expect(message).toContain("bigdata:docker.publishAddress");
  });

  test("loopback or a private address passes, and the dev stack may publish anywhere", () => {
    expect(validateResource(adminEndpointsNotOnAllInterfaces, mariadb("127.0.0.1"))).toEqual([]);
    expect(validateResource(adminEndpointsNotOnAllInterfaces, mariadb("10.0.0.5"))).toEqual([]);
    expect(validateResource(adminEndpointsNotOnAllInterfaces, mariadb("0.0.0.0", "dev"))).toEqual([]);
  });

  test("a Kafka broker's external listener is not an admin endpoint", () => {
    const broker = {
      type: "docker:index/container:Container",
      name: "k",
      props: {
        labels: dockerLabelList({ "bigdata.platform/component": "kafka" }),
        ports: [{ internal: 19092, external: 19092, ip: "0.0.0.0" }],
      },
    };
    expect(validateResource(adminEndpointsNotOnAllInterfaces, broker)).toEqual([]);
  });
});

describe("admin-endpoints-exposure-reviewed (swarm, Kubernetes)", () => {
  const connectService = {
    type: "docker:index/service:Service",
    name: "bigdata-prod-connect",
    props: {
      labels: dockerLabelList({ "bigdata.platform/component": "kafka-connect" }),
      endpointSpec: { ports: [{ targetPort: 8083, publishedPort: 8083, publishMode: "host" }] },
    },
  };

  test("a swarm service publishing Connect's REST API is listed; one publishing nothing is not", () => {
    expect(validateResource(adminEndpointsBeyondTheHost, connectService)).toEqual([
      expect.stringMatching(/^bigdata-prod-connect: endpointSpec.ports\[0\] publishes Kafka Connect's REST API/),
    ]);
    expect(
      validateResource(adminEndpointsBeyondTheHost, { ...connectService, props: { ...connectService.props, endpointSpec: { ports: [] } } }),
    ).toEqual([]);
    expect(validateResource(adminEndpointsBeyondTheHost, { ...connectService, stack: "dev" })).toEqual([]);
  });

  const service = (spec: Record<string, unknown>) => ({
    type: "kubernetes:core/v1:Service",
    name: "bigdata-prod-mariadb-public",
    props: {
      metadata: { labels: { "bigdata.platform/component": "mariadb" } },
      spec: { ports: [{ name: "mysql", port: 3306, targetPort: 3306, nodePort: 30306 }], ...spec },
    },
  });

  test("LoadBalancer without source ranges and NodePort Services exposing MariaDB are listed", () => {
    expect(validateResource(adminEndpointsBeyondTheHost, service({ type: "LoadBalancer" }))).toEqual([
      expect.stringContaining("spec.loadBalancerSourceRanges"),
    ]);
    expect(
      validateResource(adminEndpointsBeyondTheHost, service({ type: "LoadBalancer", loadBalancerSourceRanges: ["0.0.0.0/0"] })),
    ).toHaveLength(1);
    expect(validateResource(adminEndpointsBeyondTheHost, service({ type: "NodePort" }))).toEqual([
      expect.stringContaining("node port 30306"),
    ]);
  });

  test("a LoadBalancer limited to an admin network, or a ClusterIP Service, passes", () => {
    expect(
      validateResource(adminEndpointsBeyondTheHost, service({ type: "LoadBalancer", loadBalancerSourceRanges: ["10.1.0.0/16"] })),
    ).toEqual([]);
    expect(validateResource(adminEndpointsBeyondTheHost, service({ clusterIP: "None" }))).toEqual([]);
  });
});
