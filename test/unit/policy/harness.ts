import * as path from "path";
import type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "../../../policy/lib/api";

/**
 * @pulumi/policy's own proxy, which the engine's inputs pass through: it throws on reading a value that is unknown
 * during a preview. Loaded from the pack's node_modules (the root project does not depend on @pulumi/policy), by a
 * path resolved at run time, which only require() takes.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { unknownCheckingProxy } = require(
  require.resolve("@pulumi/policy/proxy", { paths: [path.join(__dirname, "../../../policy")] }),
) as {
  unknownCheckingProxy: <T extends object>(o: T) => T;
};

/** The engine's marker for a string not known during a preview. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Drives the pack's policy objects the way the engine does, without the engine: a resource (type, name,
 * inputs, options) goes in, the violation messages come out.
 */
export interface FakeResource {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly protect?: boolean;
  /** Stack in the URN; `prod` unless a test needs the dev stack. */
  readonly stack?: string;
}

const options = (protect: boolean): PolicyResourceOptions => ({
  protect,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
});

export const urnOf = (r: FakeResource): string => `urn:pulumi:${r.stack ?? "prod"}::bigdata::${r.type}::${r.name}`;

const notApplicable = (reason?: string): never => {
  throw new Error(`not applicable: ${reason ?? ""}`);
};

export function validateResource(policy: ResourceValidationPolicy, r: FakeResource, config: object = {}): string[] {
  const messages: string[] = [];
  const args: ResourceValidationArgs = {
    type: r.type,
    name: r.name,
    urn: urnOf(r),
    props: unknownCheckingProxy(r.props),
    opts: options(r.protect ?? false),
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
  const validate = policy.validateResource;
  if (validate === undefined) throw new Error(`${policy.name} validates no resources`);
  for (const v of Array.isArray(validate) ? validate : [validate]) void v(args, (message) => messages.push(message));
  return messages;
}

export function validateStack(
  policy: StackValidationPolicy,
  resources: readonly FakeResource[],
  config: object = {},
): { message: string; urn?: string }[] {
  const found: { message: string; urn?: string }[] = [];
  const args: StackValidationArgs = {
    resources: resources.map((r): PolicyResource => ({
      type: r.type,
      name: r.name,
      urn: urnOf(r),
      props: unknownCheckingProxy(r.props),
      opts: options(r.protect ?? false),
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    })),
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
  void policy.validateStack(args, (message, urn) => found.push({ message, urn }));
  return found;
}

export const dockerLabelList = (labels: Record<string, string>) => Object.entries(labels).map(([label, value]) => ({ label, value }));
