/**
 * The resource classes: drop-in replacements for `@pulumi/docker`'s Network, Volume, Container, Service,
 * ServiceConfig, Secret and Provider, for the arguments in args.ts. Each class is a Pulumi dynamic resource whose
 * provider (network.ts, volume.ts, container.ts, service.ts, swarm-object.ts) talks to the Docker Engine API.
 *
 * Provider: dynamic resources cannot take a custom provider (their provider is always Pulumi's dynamic provider),
 * so `Provider` is a plain class holding a Docker host, and each resource reads `opts.provider.host` and passes it as
 * the input `dockerHost` (stored in state for refresh and delete). Without a provider, the engine is the one named
 * by DOCKER_HOST in the environment of `pulumi` when it runs, else unix:///var/run/docker.sock.
 *
 * Type tokens: `pulumi-nodejs:dynamic/docker-engine:<Kind>` (see DOCKER_ENGINE_TYPES).
 */
import * as pulumi from "@pulumi/pulumi";
import type { ContainerArgs, NetworkArgs, ProviderArgs, SecretArgs, ServiceArgs, ServiceConfigArgs, VolumeArgs } from "./args";
import { containerProvider } from "./container";
import { networkProvider } from "./network";
import { serviceProvider } from "./service";
import { secretProvider, serviceConfigProvider } from "./swarm-object";
import { volumeProvider } from "./volume";

const MODULE = "docker-engine";

/** The Pulumi type tokens (what `pulumi.runtime.setMocks` sees as `args.type`). */
export const DOCKER_ENGINE_TYPES = {
  Network: "pulumi-nodejs:dynamic/docker-engine:Network",
  Volume: "pulumi-nodejs:dynamic/docker-engine:Volume",
  Container: "pulumi-nodejs:dynamic/docker-engine:Container",
  Service: "pulumi-nodejs:dynamic/docker-engine:Service",
  ServiceConfig: "pulumi-nodejs:dynamic/docker-engine:ServiceConfig",
  Secret: "pulumi-nodejs:dynamic/docker-engine:Secret",
} as const;

/** A Docker host for the resources that name it as `opts.provider` (not a Pulumi provider resource; see above). */
export class Provider {
  readonly name: string;
  readonly host: pulumi.Input<string | undefined> | undefined;

  constructor(name: string, args: ProviderArgs = {}, _opts?: pulumi.ResourceOptions) {
    this.name = name;
    this.host = args.host;
  }
}

/** `pulumi.CustomResourceOptions` whose `provider` is a docker-engine `Provider`. */
export type DockerResourceOptions = Omit<pulumi.CustomResourceOptions, "provider"> & { provider?: Provider };

/** The options without `provider`, and the host it names. */
export function splitProvider(
  resource: string,
  opts: DockerResourceOptions | undefined,
): { dockerHost: pulumi.Input<string | undefined> | undefined; opts: pulumi.CustomResourceOptions } {
  const { provider, ...rest } = opts ?? {};
  if (provider !== undefined && !(provider instanceof Provider)) {
    throw new Error(
      `${resource}: opts.provider must be a Provider from providers/docker-engine (dynamic resources cannot use a ` +
        `Pulumi provider resource)`,
    );
  }
  return { dockerHost: provider?.host, opts: rest };
}

export class Network extends pulumi.dynamic.Resource {
  // `declare`: with ES2022 class fields a plain field would be re-initialized to undefined after the base constructor.
  declare public readonly name: pulumi.Output<string>;
  declare public readonly driver: pulumi.Output<string | undefined>;

  constructor(name: string, args: NetworkArgs = {}, opts?: DockerResourceOptions) {
    const { dockerHost, opts: options } = splitProvider(`Network ${name}`, opts);
    super(
      networkProvider,
      name,
      { name: args.name, driver: args.driver, attachable: args.attachable, labels: args.labels, dockerHost, autoNameBase: name },
      options,
      MODULE,
      "Network",
    );
  }
}

export class Volume extends pulumi.dynamic.Resource {
  declare public readonly name: pulumi.Output<string>;

  constructor(name: string, args: VolumeArgs = {}, opts?: DockerResourceOptions) {
    const { dockerHost, opts: options } = splitProvider(`Volume ${name}`, opts);
    super(
      volumeProvider,
      name,
      { name: args.name, driver: args.driver, labels: args.labels, dockerHost, autoNameBase: name },
      options,
      MODULE,
      "Volume",
    );
  }
}

export class Container extends pulumi.dynamic.Resource {
  declare public readonly name: pulumi.Output<string>;
  declare public readonly image: pulumi.Output<string>;
  declare public readonly hostname: pulumi.Output<string | undefined>;

  constructor(name: string, args: ContainerArgs, opts?: DockerResourceOptions) {
    const { dockerHost, opts: options } = splitProvider(`Container ${name}`, opts);
    super(containerProvider, name, { ...args, dockerHost, autoNameBase: name }, options, MODULE, "Container");
  }
}

export class Service extends pulumi.dynamic.Resource {
  declare public readonly name: pulumi.Output<string>;

  constructor(name: string, args: ServiceArgs, opts?: DockerResourceOptions) {
    const { dockerHost, opts: options } = splitProvider(`Service ${name}`, opts);
    super(serviceProvider, name, { ...args, dockerHost, autoNameBase: name }, options, MODULE, "Service");
  }
}

export class ServiceConfig extends pulumi.dynamic.Resource {
  declare public readonly name: pulumi.Output<string>;
  declare public readonly data: pulumi.Output<string>;

  constructor(name: string, args: ServiceConfigArgs = {}, opts?: DockerResourceOptions) {
    const { dockerHost, opts: options } = splitProvider(`ServiceConfig ${name}`, opts);
    super(
      serviceConfigProvider,
      name,
      { name: args.name, data: args.data, labels: args.labels, dockerHost, autoNameBase: name },
      options,
      MODULE,
      "ServiceConfig",
    );
  }
}

/**
 * A swarm secret. `data` is made a Pulumi secret as an input too: the dynamic provider host does not take secrets,
 * and the engine restores the secret bit of an output from the input of the same name.
 */
export class Secret extends pulumi.dynamic.Resource {
  declare public readonly name: pulumi.Output<string>;
  declare public readonly data: pulumi.Output<string>;

  constructor(name: string, args: SecretArgs, opts?: DockerResourceOptions) {
    const { dockerHost, opts: options } = splitProvider(`Secret ${name}`, opts);
    super(
      secretProvider,
      name,
      { name: args.name, data: pulumi.secret(args.data), labels: args.labels, dockerHost, autoNameBase: name },
      pulumi.mergeOptions(options, { additionalSecretOutputs: ["data"] }),
      MODULE,
      "Secret",
    );
  }
}
