/**
 * `ServiceContainersGone`: a resource with nothing to create, whose deletion waits until no container of a swarm
 * service is left on one node.
 *
 * Why: the docker provider deletes a service and then waits for its containers only through the client it was given,
 * the manager's, so containers on other nodes are not waited for; and it deletes a volume with a fixed 30 s wait that
 * `customTimeouts` does not change. A task that takes longer to stop than that (a Kafka broker flushing its logs has
 * a 60 s grace period) keeps its volume "in use" and `pulumi destroy` fails. Placed between a pinned service and the
 * volumes it mounts on its node (service dependsOn this, this dependsOn the volumes), the volumes are deleted only
 * once the node has removed the service's containers.
 */
import * as pulumi from "@pulumi/pulumi";
import { dockerEndpoint } from "../../model/docker-host";
import { containersLabelled } from "./docker-api";

export interface ServiceContainersGoneArgs {
  /** The node's Docker API: tcp://HOST:PORT or unix:///PATH. */
  readonly dockerHost: pulumi.Input<string>;
  /** The node's name, for messages. */
  readonly nodeName: pulumi.Input<string>;
  /** The swarm service whose containers must be gone (label com.docker.swarm.service.name). */
  readonly serviceName: pulumi.Input<string>;
  /** How long deletion waits for them: the service's stop grace period plus a margin. */
  readonly timeoutSeconds: pulumi.Input<number>;
}

interface GuardState {
  dockerHost: string;
  nodeName: string;
  serviceName: string;
  timeoutSeconds: number;
}

/** The Pulumi type token of `ServiceContainersGone`. */
export const SERVICE_CONTAINERS_GONE_TYPE = "pulumi-nodejs:dynamic/docker-node:ServiceContainersGone";

const SERVICE_LABEL = "com.docker.swarm.service.name";
const POLL_MS = 1000;
const REQUEST_TIMEOUT_MS = 5000;

/** An input that is not as required, with the input's name for Pulumi's check failures. */
class InputError extends Error {
  constructor(
    readonly property: keyof GuardState,
    message: string,
  ) {
    super(message);
  }
}

function guardState(raw: Record<string, unknown>): GuardState {
  const { dockerHost, nodeName, serviceName, timeoutSeconds } = raw;
  if (typeof dockerHost !== "string") throw new InputError("dockerHost", "dockerHost must be a string");
  if (typeof nodeName !== "string" || !nodeName) throw new InputError("nodeName", "nodeName must be a non-empty string");
  if (typeof serviceName !== "string" || !serviceName) throw new InputError("serviceName", "serviceName must be a non-empty string");
  if (typeof timeoutSeconds !== "number" || !(timeoutSeconds > 0))
    throw new InputError("timeoutSeconds", "timeoutSeconds must be a positive number");
  try {
    dockerEndpoint(dockerHost);
  } catch (e) {
    throw new InputError("dockerHost", e instanceof Error ? e.message : String(e));
  }
  return { dockerHost, nodeName, serviceName, timeoutSeconds };
}

/** Polls the node until no container of the service remains; throws with what is left after the timeout. */
export async function waitUntilGone(state: GuardState, pollMs = POLL_MS): Promise<void> {
  const deadline = Date.now() + state.timeoutSeconds * 1000;
  for (;;) {
    let left: string;
    try {
      const names = await containersLabelled(state.dockerHost, SERVICE_LABEL, state.serviceName, REQUEST_TIMEOUT_MS);
      if (names.length === 0) return;
      left = `its containers ${names.join(", ")} are still there`;
    } catch (e) {
      left = `its Docker API did not answer (${e instanceof Error ? e.message : String(e)})`;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `service ${state.serviceName} on node ${state.nodeName} (${state.dockerHost}): ${left} after ${state.timeoutSeconds} s, ` +
          "so the volumes it mounts there cannot be removed yet. Run `pulumi destroy` again once they have stopped.",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export const guardProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
    try {
      guardState(news);
      return { inputs: news };
    } catch (e) {
      if (e instanceof InputError) return { inputs: news, failures: [{ property: e.property, reason: e.message }] };
      throw e;
    }
  },
  async create(inputs: Record<string, unknown>) {
    const state = guardState(inputs);
    return { id: `${state.serviceName}@${state.nodeName}`, outs: state };
  },
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const keys = ["dockerHost", "nodeName", "serviceName", "timeoutSeconds"];
    const changed = keys.filter((k) => olds[k] !== news[k]);
    // A new service or node is a new guard; the old one then waits for the old service on deletion.
    const replaces = changed.filter((k) => k === "serviceName" || k === "nodeName");
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
  },
  async update(_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
    return { outs: guardState(news) };
  },
  async delete(_id: string, props: Record<string, unknown>) {
    await waitUntilGone(guardState(props));
  },
};

/** See the module comment. Type token: SERVICE_CONTAINERS_GONE_TYPE. */
export class ServiceContainersGone extends pulumi.dynamic.Resource {
  constructor(name: string, args: ServiceContainersGoneArgs, opts?: pulumi.CustomResourceOptions) {
    super(guardProvider, name, { ...args }, opts, "docker-node", "ServiceContainersGone");
  }
}
