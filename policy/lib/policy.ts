import type { EnforcementLevel, PolicyConfigSchema, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "./api";
import type { ResourceView } from "./resources";
import { asObject, plain } from "./values";

/**
 * The pack's policies are written as pure checks over plain resource views (easy to unit-test, no proxies);
 * these adapters turn them into @pulumi/policy's policy objects.
 */
interface RuleBase {
  readonly name: string;
  /** What it checks and why: shown to whoever reads a violation. */
  readonly description: string;
  readonly enforcementLevel: Exclude<EnforcementLevel, "remediate" | "disabled">;
  readonly configSchema?: PolicyConfigSchema;
}

export interface ResourceRule<C extends object> extends RuleBase {
  /** One message per violation; each names the resource, the input field and what is allowed. */
  readonly check: (resource: ResourceView, config: C) => string[];
}

export interface StackFinding {
  readonly message: string;
  /** The resource at fault; the stack as a whole when undefined. */
  readonly urn?: string;
}

export interface StackRule<C extends object> extends RuleBase {
  readonly check: (resources: readonly ResourceView[], config: C) => StackFinding[];
}

type Viewable = Pick<ResourceValidationArgs, "type" | "name" | "urn" | "props" | "opts">;

export const viewOf = (r: Viewable): ResourceView => ({
  type: r.type,
  name: r.name,
  urn: r.urn,
  props: asObject(plain(r.props)) ?? {},
  protect: r.opts.protect === true,
});

export function resourcePolicy<C extends object>(rule: ResourceRule<C>): ResourceValidationPolicy {
  const { check, ...meta } = rule;
  return {
    ...meta,
    validateResource: (args, reportViolation) => {
      for (const message of check(viewOf(args), args.getConfig<C>())) reportViolation(message);
    },
  };
}

export function stackPolicy<C extends object>(rule: StackRule<C>): StackValidationPolicy {
  const { check, ...meta } = rule;
  return {
    ...meta,
    validateStack: (args, reportViolation) => {
      for (const f of check(args.resources.map(viewOf), args.getConfig<C>())) reportViolation(f.message, f.urn);
    },
  };
}
