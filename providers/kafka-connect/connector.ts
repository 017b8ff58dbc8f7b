import * as pulumi from "@pulumi/pulumi";
import { connectorProvider } from "./provider";

export interface ConnectorArgs {
  /** Base URL of the Kafka Connect REST API reachable from where `pulumi` runs, e.g. http://127.0.0.1:8083 */
  connectUrl: pulumi.Input<string>;
  /** Connector name (the key in /connectors/{name}). */
  name: pulumi.Input<string>;
  /** Non-secret connector config; shown key by key in `pulumi preview` diffs. Must include connector.class. */
  config: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Secret config keys (passwords). Merged into config only when calling Connect; stored as Pulumi secrets; never logged. */
  secretConfig?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** How long to wait for the connector and ALL its tasks to be RUNNING after create/update (default 300). */
  readyTimeoutSeconds?: pulumi.Input<number>;
}

/**
 * secretConfig as an input whose values are all secrets. The Node dynamic provider host does not accept secrets, and
 * the engine restores the secret bit of each output value from the input of the same name (also for refresh and for
 * partial failures), so the inputs must be secret too, not only the output (`additionalSecretOutputs`).
 * Each value is made secret on its own when the keys are known here, so that `pulumi preview` still shows which key
 * changed (`~ secretConfig: { ~ database.password: [secret] => [secret] }`); when the whole map is an Output or a
 * Promise, the whole map is made secret.
 */
export function secretInputs(secretConfig: ConnectorArgs["secretConfig"]): pulumi.Input<Record<string, pulumi.Input<string>>> {
  if (secretConfig === undefined) return {};
  if (pulumi.Output.isInstance(secretConfig) || secretConfig instanceof Promise) return pulumi.secret(secretConfig);
  const out: Record<string, pulumi.Input<string>> = {};
  for (const [key, value] of Object.entries(secretConfig)) out[key] = pulumi.secret(value);
  return out;
}

/** The Pulumi type token of `Connector` (what `pulumi.runtime.setMocks` sees as `args.type`). */
export const CONNECTOR_TYPE = "pulumi-nodejs:dynamic/kafka-connect:Connector";

/**
 * A Kafka Connect connector managed through Connect's REST API (a Pulumi dynamic provider; see provider.ts).
 *
 * - Ready only when the connector and all its tasks (at least one) are RUNNING; a FAILED task fails the deployment
 *   with the task's trace.
 * - A `name` change replaces the connector (the old one is deleted first); config changes update it in place;
 *   `connectUrl` or `readyTimeoutSeconds` alone do not change it.
 * - `secretConfig` is always stored as a Pulumi secret (input and output) and its values never appear in messages.
 *   `config` must not hold secrets.
 * - Refresh and delete use the connectUrl stored in state; if Connect has moved since the last create/update, set
 *   KAFKA_CONNECT_URL_OVERRIDE for that `pulumi` run. A connectUrl of the form http://user:password@host:8083 is
 *   sent as HTTP basic auth; pass such a URL as a `pulumi.secret` so that it is stored encrypted.
 * - Type token: CONNECTOR_TYPE ("pulumi-nodejs:dynamic/kafka-connect:Connector").
 */
export class Connector extends pulumi.dynamic.Resource {
  // `declare`: with ES2022 class fields a plain `name!: ...` would be re-initialized to undefined after the base
  // constructor has set the output properties.
  declare public readonly name: pulumi.Output<string>;
  /** Connector state when last observed, e.g. RUNNING. */
  declare public readonly state: pulumi.Output<string>;
  /** Task states ordered by task id, e.g. ["RUNNING","RUNNING"]. */
  declare public readonly taskStates: pulumi.Output<string[]>;
  /** source | sink */
  declare public readonly type: pulumi.Output<string>;

  constructor(name: string, args: ConnectorArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      connectorProvider,
      name,
      {
        connectUrl: args.connectUrl,
        name: args.name,
        config: args.config,
        secretConfig: secretInputs(args.secretConfig),
        readyTimeoutSeconds: args.readyTimeoutSeconds,
        // Always RUNNING: a connector paused or stopped by hand is drift that `pulumi up` repairs (see types.ts).
        runState: "RUNNING",
        state: undefined,
        taskStates: undefined,
        type: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["secretConfig"] }),
      "kafka-connect",
      "Connector",
    );
  }
}
