/**
 * Which stack a resource belongs to, and whether it is a dev stack.
 *
 * A pack cannot ask the engine: with our CLI and language host `pulumi.getStack()` inside the pack returns the
 * placeholder "stack", stack tags arrive empty on a file backend, and the pack's process does not see the stack's
 * config. Every resource's URN does carry it (`urn:pulumi:<stack>::<project>::...`), so policies read it there.
 * Which stacks count as dev stacks is the pack's config (`devStacks`, default ["dev"]), overridable with
 * `pulumi preview --policy-pack policy --policy-pack-config <file>`.
 */

export const defaultDevStacks: readonly string[] = ["dev"];

/** The stack name in a resource URN. */
export function stackOf(urn: string): string {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn);
  if (m === null) throw new Error(`not a Pulumi URN: ${urn}`);
  return m[1];
}

export interface DevStackConfig {
  readonly devStacks?: readonly string[];
}

/** JSON schema of the `devStacks` setting, for the policies whose rules relax on dev stacks. */
export const devStacksSchema = {
  properties: {
    devStacks: {
      type: "array" as const,
      items: { type: "string" as const },
      default: [...defaultDevStacks],
      description: "Stacks that run on one developer's host, where admin endpoints and data need no extra protection.",
    },
  },
};

export function isDevStack(urn: string, config: DevStackConfig): boolean {
  return (config.devStacks ?? defaultDevStacks).includes(stackOf(urn));
}
