import { isConfigProviderReference, isCredentialConfigKey, isCredentialEnvName } from "../lib/credentials";
import { resourcePolicy } from "../lib/policy";
import { type ResourceView, podContainers, podSpecOf, types } from "../lib/resources";
import { type DevStackConfig, devStacksSchema, isDevStack } from "../lib/stack";
import { asArray, asObject, asString, at, isUnknown } from "../lib/values";

/**
 * A policy cannot tell a Pulumi secret from a plain string: @pulumi/policy hands validations the unwrapped values.
 * So these rules look at where a credential goes rather than at its secret bit: a password-like environment
 * variable must come from a file (`<NAME>_FILE`, swarm secrets) or a Kubernetes Secret (valueFrom), and a
 * password-like connector key must sit in the Connector's secretConfig, never in its plain config.
 */

function dockerEnvFindings(r: ResourceView): string[] {
  return asArray(r.props.envs).flatMap((entry, i) => {
    const text = asString(entry);
    if (text === undefined) return [];
    const eq = text.indexOf("=");
    const name = eq < 0 ? text : text.slice(0, eq);
    if (eq < 0 || text.slice(eq + 1) === "" || !isCredentialEnvName(name)) return [];
    return [
      `${r.name}: envs[${i}] sets ${name} to a literal value, readable by anyone who can inspect the container. Pass it as a file (an upload read through ${name}_FILE) instead.`,
    ];
  });
}

function swarmEnvFindings(r: ResourceView): string[] {
  const env = asObject(at(r.props, "taskSpec", "containerSpec", "env")) ?? {};
  return Object.entries(env)
    .filter(([name, value]) => isCredentialEnvName(name) && !isUnknown(value) && asString(value) !== "")
    .map(
      ([name]) =>
        `${r.name}: taskSpec.containerSpec.env.${name} is a literal value, readable in the service spec. Put it in a swarm secret and pass ${name}_FILE=/run/secrets/${name} instead.`,
    );
}

function k8sEnvFindings(r: ResourceView): string[] {
  const pod = podSpecOf(r.type, r.props);
  if (pod === undefined) return [];
  return podContainers(pod).flatMap((c) =>
    asArray(c.container.env).flatMap((e, i) => {
      const name = asString(at(e, "name"));
      const value = at(e, "value");
      if (name === undefined || !isCredentialEnvName(name) || value === undefined || value === null || isUnknown(value) || value === "")
        return [];
      return [
        `${r.name}: ${c.path}.env[${i}] (${name}) has a literal value, stored in the workload's spec. Use valueFrom.secretKeyRef to a Secret instead.`,
      ];
    }),
  );
}

function connectorConfigFindings(r: ResourceView): string[] {
  const config = asObject(r.props.config) ?? {};
  return Object.entries(config)
    .filter(([key, value]) => isCredentialConfigKey(key) && typeof value === "string" && value !== "" && !isConfigProviderReference(value))
    .map(
      ([key]) =>
        `${r.name}: config["${key}"] holds a credential in the connector's plain config (shown in previews, stored unencrypted in state). Move it to secretConfig, or reference it through a Connect config provider (\${file:...}).`,
    );
}

export const noPlainCredentials = resourcePolicy<DevStackConfig>({
  name: "no-plain-credentials",
  description:
    "No credential in a plain container environment or connector config where a secret file or secretConfig can carry it: " +
    "password-like variables come from files (swarm secrets, <NAME>_FILE) or Kubernetes Secrets, connector passwords from " +
    "secretConfig or a config provider. Why: env and plain config show up in `docker inspect`, service and pod specs, " +
    "preview diffs and state. Docker containers are exempt on dev stacks (one developer's host, no secret store).",
  enforcementLevel: "mandatory",
  configSchema: devStacksSchema,
  check: (r, config) => {
    if (r.type === types.dockerContainer) return isDevStack(r.urn, config) ? [] : dockerEnvFindings(r);
    if (r.type === types.dockerService) return swarmEnvFindings(r);
    if (r.type === types.connector) return connectorConfigFindings(r);
    return k8sEnvFindings(r);
  },
});

export const connectorSecretsViaConfigProvider = resourcePolicy<DevStackConfig>({
  name: "connector-secrets-through-config-provider",
  description:
    "Outside a dev stack, a connector's secret settings (secretConfig) are Connect config provider references " +
    "(${file:/run/secrets/...:key}) rather than the values themselves. Why: Connect stores connector configs unencrypted " +
    "in its config topic and returns them from its REST API; a reference keeps the value on the workers' files. Advisory: " +
    "the Connect workers have no config provider configured yet.",
  enforcementLevel: "advisory",
  configSchema: devStacksSchema,
  check: (r, config) => {
    if (r.type !== types.connector || isDevStack(r.urn, config)) return [];
    // An unknown value is computed by Pulumi (a generated password): a literal, never a reference.
    return Object.entries(asObject(r.props.secretConfig) ?? {})
      .filter(([, value]) => isUnknown(value) || (typeof value === "string" && !isConfigProviderReference(value)))
      .map(
        ([key]) =>
          `${r.name}: secretConfig["${key}"] is sent to Connect as the value itself, which Connect stores in plain text in its config topic. Configure a config provider on the workers (config.providers=file) and set it to \${file:<path>:${key}}.`,
      );
  },
});
