/**
 * The @pulumi/policy types the pack and its tests use, from one place: the tests live in the root project
 * (test/unit/policy), whose node_modules has no @pulumi/policy; importing through here resolves it from the pack's.
 */
export type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
  EnforcementLevel,
  PolicyConfigSchema,
} from "@pulumi/policy";
