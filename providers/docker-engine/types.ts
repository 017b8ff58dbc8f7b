/**
 * Shapes and constants shared by the Docker Engine dynamic providers.
 *
 * Everything here is plain data: each provider is serialized with Pulumi's closure serialization, so the provider
 * modules keep to module-level functions and constants (no classes, no captured program state). Constants that the
 * provider functions use are exported by name at the end of a module (`export { X }`), not with `export const`:
 * TypeScript compiles uses of an `export const` to `exports.X`, which would make the serializer capture the whole
 * module object.
 */

/** Sentinel that Pulumi puts in place of values that are not known yet during `pulumi preview` (rpc.unknownValue). */
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Where the engine is when neither `Provider.host` nor `DOCKER_HOST` says otherwise. */
const DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

/** Read at run time (by the provider, when it runs), like the Docker CLI does. */
const DOCKER_HOST_ENV = "DOCKER_HOST";

/** Inputs as the engine hands them over: before `check` they are unvalidated and may hold UNKNOWN_VALUE. */
export type RawInputs = Record<string, unknown>;

/** A state as read back from Pulumi: older or partial states may miss fields, so providers read it defensively. */
export type StoredState = Record<string, unknown> & { __provider?: unknown };

export interface CheckFailureEntry {
  property: string;
  reason: string;
}

/**
 * Inputs every resource kind carries besides its own:
 * - `dockerHost`: the host of the `Provider` passed as `opts.provider` (dynamic resources cannot take a real custom
 *   provider, so the host travels as an input and is stored in state for refresh and delete).
 * - `autoNameBase` / `autoNamed`: the Pulumi resource name, from which `check` derives `name` (name + "-" + 7 hex
 *   characters) when none is given, keeping the generated name across updates like Pulumi's auto-naming.
 */
const HIDDEN_INPUTS: readonly string[] = ["dockerHost", "autoNameBase", "autoNamed"];

export { UNKNOWN_VALUE, DEFAULT_DOCKER_HOST, DOCKER_HOST_ENV, HIDDEN_INPUTS };
