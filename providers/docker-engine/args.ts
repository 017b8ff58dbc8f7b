/**
 * Argument types: the subset of `@pulumi/docker` 5.2.0's (node_modules/@pulumi/docker/types/input.d.ts and the
 * resources' *.d.ts) that this module implements, with the same property names and shapes. `check` rejects the
 * rest of `@pulumi/docker`'s arguments as not supported rather than ignoring them.
 */
import type * as pulumi from "@pulumi/pulumi";

type In<T> = pulumi.Input<T>;
type List<T> = In<In<T>[] | undefined>;

/** ContainerLabel, NetworkLabel, VolumeLabel, ServiceLabel, ... */
export interface Label {
  label: In<string>;
  value: In<string>;
}

export interface ProviderArgs {
  /** Docker host URL: unix:///path/to/docker.sock, tcp://host:port or http://host:port (no TLS, no ssh). */
  host?: In<string | undefined>;
}

export interface NetworkArgs {
  name?: In<string | undefined>;
  /** Default "bridge". */
  driver?: In<string | undefined>;
  attachable?: In<boolean | undefined>;
  labels?: List<Label>;
}

export interface VolumeArgs {
  name?: In<string | undefined>;
  /** Default "local". */
  driver?: In<string | undefined>;
  labels?: List<Label>;
}

export interface ContainerHealthcheck {
  /** e.g. ["CMD-SHELL", "curl -f localhost/health"] */
  tests?: In<In<string>[] | undefined>;
  /** Durations: "10s", "1m30s", "500ms". */
  interval?: In<string | undefined>;
  timeout?: In<string | undefined>;
  startPeriod?: In<string | undefined>;
  retries?: In<number | undefined>;
}

export interface ContainerNetworksAdvanced {
  /** Network name or id. */
  name: In<string>;
  aliases?: In<In<string>[] | undefined>;
}

export interface ContainerPort {
  internal: In<number>;
  /** Host port; a random one when not given. */
  external?: In<number | undefined>;
  /** Host address to bind; default 0.0.0.0. */
  ip?: In<string | undefined>;
  /** tcp (default), udp, sctp. */
  protocol?: In<string | undefined>;
}

export interface ContainerVolume {
  volumeName?: In<string | undefined>;
  containerPath?: In<string | undefined>;
  readOnly?: In<boolean | undefined>;
}

export interface ContainerUpload {
  /** Absolute path in the container; missing parent directories are created. */
  file: In<string>;
  /** UTF-8 text. Exactly one of content and contentBase64. */
  content?: In<string | undefined>;
  contentBase64?: In<string | undefined>;
  /** Mode 0755 instead of 0644. */
  executable?: In<boolean | undefined>;
}

export interface ContainerArgs {
  name?: In<string | undefined>;
  hostname?: In<string | undefined>;
  /** Must be on the Docker host (images are not pulled). */
  image: In<string>;
  entrypoints?: In<In<string>[] | undefined>;
  command?: In<In<string>[] | undefined>;
  /** "KEY=VALUE" strings. */
  envs?: In<In<string>[] | undefined>;
  user?: In<string | undefined>;
  labels?: List<Label>;
  /** no (default), on-failure, always, unless-stopped. */
  restart?: In<string | undefined>;
  networksAdvanced?: List<ContainerNetworksAdvanced>;
  ports?: List<ContainerPort>;
  volumes?: List<ContainerVolume>;
  uploads?: List<ContainerUpload>;
  healthcheck?: In<ContainerHealthcheck | undefined>;
  /** Wait for the healthcheck to pass. */
  wait?: In<boolean | undefined>;
  /** Seconds; default 60. */
  waitTimeout?: In<number | undefined>;
  /** Megabytes. */
  memory?: In<number | undefined>;
  /** Memory + swap in megabytes (equal to memory: no swap; -1: unlimited swap). */
  memorySwap?: In<number | undefined>;
  /** e.g. "1.5" */
  cpus?: In<string | undefined>;
  /** Seconds the engine waits after the stop signal. */
  stopTimeout?: In<number | undefined>;
  /** Seconds to wait for the container to stop before it is removed. */
  destroyGraceSeconds?: In<number | undefined>;
}

export interface ServiceEndpointSpecPort {
  name?: In<string | undefined>;
  protocol?: In<string | undefined>;
  /** ingress (default) or host. */
  publishMode?: In<string | undefined>;
  publishedPort?: In<number | undefined>;
  targetPort: In<number>;
}

export interface ServiceEndpointSpec {
  /** vip (default) or dnsrr. */
  mode?: In<string | undefined>;
  ports?: List<ServiceEndpointSpecPort>;
}

export interface ServiceModeReplicated {
  replicas?: In<number | undefined>;
}

export interface ServiceMode {
  replicated?: In<ServiceModeReplicated | undefined>;
}

export interface ServiceTaskSpecContainerSpecMount {
  /** volume, bind or tmpfs. */
  type: In<string>;
  source?: In<string | undefined>;
  target: In<string>;
  readOnly?: In<boolean | undefined>;
}

export interface ServiceTaskSpecContainerSpecConfig {
  configId: In<string>;
  configName?: In<string | undefined>;
  fileName: In<string>;
  /** Default 0o444. */
  fileMode?: In<number | undefined>;
}

export interface ServiceTaskSpecContainerSpecSecret {
  secretId: In<string>;
  secretName?: In<string | undefined>;
  fileName: In<string>;
  /** Default 0o444. */
  fileMode?: In<number | undefined>;
}

export interface ServiceTaskSpecContainerSpec {
  image: In<string>;
  hostname?: In<string | undefined>;
  commands?: In<In<string>[] | undefined>;
  args?: In<In<string>[] | undefined>;
  env?: In<{ [key: string]: In<string> } | undefined>;
  user?: In<string | undefined>;
  labels?: List<Label>;
  mounts?: List<ServiceTaskSpecContainerSpecMount>;
  configs?: List<ServiceTaskSpecContainerSpecConfig>;
  secrets?: List<ServiceTaskSpecContainerSpecSecret>;
  healthcheck?: In<ContainerHealthcheck | undefined>;
  stopGracePeriod?: In<string | undefined>;
}

export interface ServiceTaskSpecNetworksAdvanced {
  /** Network id or name. */
  name?: In<string | undefined>;
  aliases?: In<In<string>[] | undefined>;
}

export interface ServiceTaskSpecPlacement {
  constraints?: In<In<string>[] | undefined>;
  maxReplicas?: In<number | undefined>;
}

export interface ServiceTaskSpecResourcesLimits {
  memoryBytes?: In<number | undefined>;
  nanoCpus?: In<number | undefined>;
}

export interface ServiceTaskSpecResources {
  limits?: In<ServiceTaskSpecResourcesLimits | undefined>;
}

export interface ServiceTaskSpecRestartPolicy {
  /** none, on-failure or any. */
  condition?: In<string | undefined>;
  delay?: In<string | undefined>;
  maxAttempts?: In<number | undefined>;
  window?: In<string | undefined>;
}

export interface ServiceTaskSpec {
  containerSpec: In<ServiceTaskSpecContainerSpec>;
  networksAdvanceds?: List<ServiceTaskSpecNetworksAdvanced>;
  placement?: In<ServiceTaskSpecPlacement | undefined>;
  resources?: In<ServiceTaskSpecResources | undefined>;
  restartPolicy?: In<ServiceTaskSpecRestartPolicy | undefined>;
}

export interface ServiceUpdateConfig {
  delay?: In<string | undefined>;
  /** pause, continue or rollback. */
  failureAction?: In<string | undefined>;
  monitor?: In<string | undefined>;
  /** stop-first or start-first. */
  order?: In<string | undefined>;
  parallelism?: In<number | undefined>;
}

export interface ServiceConvergeConfig {
  /** Time between checks; default 7s. */
  delay?: In<string | undefined>;
  /** Default 3m. */
  timeout?: In<string | undefined>;
}

export interface ServiceArgs {
  name?: In<string | undefined>;
  labels?: List<Label>;
  mode?: In<ServiceMode | undefined>;
  endpointSpec?: In<ServiceEndpointSpec | undefined>;
  taskSpec: In<ServiceTaskSpec>;
  updateConfig?: In<ServiceUpdateConfig | undefined>;
  convergeConfig?: In<ServiceConvergeConfig | undefined>;
}

export interface ServiceConfigArgs {
  /** Default: the resource name + "-" + 7 random hex characters. */
  name?: In<string | undefined>;
  /** Base64-encoded content. */
  data?: In<string | undefined>;
  labels?: List<Label>;
}

export interface SecretArgs {
  /** Default: the resource name + "-" + 7 random hex characters. */
  name?: In<string | undefined>;
  /** Base64-encoded content; always stored as a Pulumi secret. */
  data: In<string>;
  labels?: List<Label>;
}
