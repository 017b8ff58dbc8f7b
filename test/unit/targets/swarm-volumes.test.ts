import * as pulumi from "@pulumi/pulumi";
import type { WorkloadSpec } from "../../../model/workload";
import { SERVICE_CONTAINERS_GONE_TYPE } from "../../../providers/docker-node/service-containers-gone";
import { SwarmTarget } from "../../../targets/swarm/swarm-target";
import { type CapturedResource, captureResources, named, ofType } from "../support/capture";

const volumeType = "docker:index/volume:Volume";
let resources: CapturedResource[];

const workload = (name: string, node: string | undefined, extra: Partial<WorkloadSpec> = {}): WorkloadSpec => ({
  name,
  component: name,
  image: "busybox",
  volumes: [{ name: "data", mountPath: "/data" }],
  placement: { labels: { role: "x" }, node },
  ...extra,
});

beforeAll(async () => {
  resources = await captureResources((transformations) => {
    const parent = new pulumi.ComponentResource("test:index:Parent", "parent", {}, { transformations });
    const target = new SwarmTarget(
      { namePrefix: "t", publicHost: "node-1", nodes: [{ name: "node-1" }, { name: "node-2", dockerHost: "tcp://10.0.0.12:2375" }] },
      parent,
    );
    const shared = { name: "shared", mountPath: "/shared", shared: true };
    target.deploy(workload("broker", "node-2", { stopGracePeriodSeconds: 60, volumes: [{ name: "data", mountPath: "/data" }, shared] }), {
      parent,
    });
    target.deploy(workload("db", "node-1"), { parent });
    target.deploy(workload("spread", undefined), { parent });
    target.runJob(
      {
        name: "job",
        component: "job",
        image: "busybox",
        command: ["sh", "-c", "true"],
        volumes: [shared],
        placement: { node: "node-2" },
        timeoutSeconds: 60,
      },
      { parent },
    );
  });
});

describe("swarm volumes on the node that uses them", () => {
  test("a service pinned to a node with a known API has its volumes, shared ones too, declared on that node", () => {
    expect(named(resources, "t-broker-data").provider).toBe("pulumi:providers:docker::t-node-node-2");
    expect(named(resources, "t-shared-on-node-2").provider).toBe("pulumi:providers:docker::t-node-node-2");
    expect(named(resources, "t-shared-on-node-2").inputs.name).toBe("t-shared");
    // The job on that node mounts the same declared volume, not one Docker would create behind Pulumi's back.
    expect(ofType(resources, volumeType).filter((v) => v.inputs.name === "t-shared")).toHaveLength(1);
    expect(named(resources, "t-job").provider).toBe("pulumi:providers:docker::t-node-node-2");
  });

  test("destroy deletes a pinned service, then waits for its containers on the node, then deletes its volumes", () => {
    const guard = named(resources, "t-broker-volumes-freed");
    expect(guard.type).toBe(SERVICE_CONTAINERS_GONE_TYPE);
    // The broker's 60 s grace period plus a margin for the node to remove the stopped container.
    expect(guard.inputs).toMatchObject({
      dockerHost: "tcp://10.0.0.12:2375",
      nodeName: "node-2",
      serviceName: "t-broker",
      timeoutSeconds: 120,
    });
    expect(guard.dependsOn.sort()).toEqual([`${volumeType}::t-broker-data`, `${volumeType}::t-shared-on-node-2`]);
    expect(named(resources, "t-broker").dependsOn).toContain(`${SERVICE_CONTAINERS_GONE_TYPE}::t-broker-volumes-freed`);
  });

  test("without the node's API, volumes stay on the manager's engine and nothing waits on the node", () => {
    expect(named(resources, "t-db-data").provider).toBeUndefined();
    expect(named(resources, "t-spread-data").provider).toBeUndefined();
    expect(ofType(resources, SERVICE_CONTAINERS_GONE_TYPE).map((g) => g.name)).toEqual(["t-broker-volumes-freed"]);
  });
});
