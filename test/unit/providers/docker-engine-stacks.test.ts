/**
 * Contract check: every Network, Volume, Container, Service, ServiceConfig and Secret that the dev and swarm stacks
 * declare (through targets/docker and targets/swarm, whether they import `@pulumi/docker` or providers/docker-engine)
 * passes docker-engine's check unchanged and turns into a Docker API body.
 */
import type { CapturedResource } from "../support/capture";
import { buildStack } from "../stacks/build";
import {
  containerPlan,
  containerProvider,
  networkProvider,
  RawInputs,
  secretProvider,
  serviceConfigProvider,
  serviceProvider,
  serviceSpec,
  volumeProvider,
} from "../../../providers/docker-engine";
import type * as pulumi from "@pulumi/pulumi";

const providers: Record<string, pulumi.dynamic.ResourceProvider> = {
  Network: networkProvider,
  Volume: volumeProvider,
  Container: containerProvider,
  Service: serviceProvider,
  ServiceConfig: serviceConfigProvider,
  Secret: secretProvider,
};

/** "Container" of docker:index/container:Container or pulumi-nodejs:dynamic/docker-engine:Container. */
function kindOf(type: string): string | undefined {
  if (!type.startsWith("docker:index/") && !type.startsWith("pulumi-nodejs:dynamic/docker-engine:")) return undefined;
  const kind = type.split(":").pop()!;
  return providers[kind] ? kind : undefined;
}

async function checkAll(resources: CapturedResource[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const r of resources) {
    const kind = kindOf(r.type);
    if (!kind) continue;
    const { __provider: _p, ...inputs } = r.inputs;
    void _p;
    const news: RawInputs = { ...inputs, autoNameBase: r.name };
    const result = await providers[kind].check!({}, news);
    expect({ resource: r.name, failures: result.failures ?? [] }).toEqual({ resource: r.name, failures: [] });
    if (kind === "Container") expect(() => containerPlan(result.inputs)).not.toThrow();
    if (kind === "Service") expect(() => serviceSpec(result.inputs)).not.toThrow();
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

test("the dev stack's network, volumes and containers pass check", async () => {
  const counts = await checkAll(await buildStack("dev"));
  expect(counts.Network).toBe(1);
  expect(counts.Container).toBeGreaterThan(3);
  expect(counts.Volume).toBeGreaterThan(0);
});

test("the swarm stack's network, volumes, services, configs and secrets pass check", async () => {
  const counts = await checkAll(await buildStack("swarm"));
  expect(counts.Network).toBe(1);
  expect(counts.Service).toBeGreaterThan(3);
  expect(counts.ServiceConfig).toBeGreaterThan(0);
  expect(counts.Secret).toBeGreaterThan(0);
});
