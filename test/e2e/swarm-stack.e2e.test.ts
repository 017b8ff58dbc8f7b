import { platformSuite } from "./support/platform-suite";
import { docker } from "../../harness/shell";

// The swarm target on a single-node swarm of this machine: overlay network, dnsrr services, host-mode
// ports, a dedicated KRaft controller beside one broker, all placed by node labels.
describe("swarm target on a single-node swarm, for real", () => {
  platformSuite({
    stack: "e2e-swarm",
    baseStack: "dev",
    overrides: async () => {
      const node = (await docker("info", "--format", "{{.Name}}")).trim();
      await docker("node", "update", "--label-add", "bigdata.role=all", node);
      return {
        target: "swarm",
        // With its API, the pinned services' volumes (the benchmark's data too) are declared on the node's own
        // engine, and destroy waits there for their containers: the Unix-socket path of that wait.
        nodes: [{ name: node, labels: { "bigdata.role": "all" }, dockerHost: process.env.DOCKER_HOST || "unix:///var/run/docker.sock" }],
        kafka: { controllers: 1, brokers: 1, brokerPlacement: { "bigdata.role": "all" }, controllerPlacement: { "bigdata.role": "all" } },
        mariadb: { placement: { "bigdata.role": "all" } },
      };
    },
    crawlerCreates: 3, // Crawler component + service + the swarm secret holding its password
    // The worker service's replica count and the console service's Table 6 (in its environment); the cluster-mode
    // benchmark runs again.
    scaleChange: [
      { update: 1, replace: 1 },
      { update: 2, replace: 1 },
    ],
    consoleCountsSink: false,
    scaleWorkersByHand: (service, replicas) => docker("service", "scale", "--detach", `${service}=${replicas}`),
    workerResourceType: "docker:index/service:Service",
    // One broker on a one-node swarm cannot replicate: the pack's multi-host rule would stop the repairing apply.
    advisoryPolicies: ["kafka-replication-on-multi-host"],
  });
});
