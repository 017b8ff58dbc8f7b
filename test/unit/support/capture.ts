import * as pulumi from "@pulumi/pulumi";

/** A resource as the engine would have received it. */
export interface CapturedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly parent?: string;
  /** The explicit provider's name, when one was given. */
  readonly provider?: string;
  /** Names of the resources it explicitly depends on. */
  readonly dependsOn: string[];
  /** Top-level inputs that hold a secret somewhere inside (the engine stores them encrypted). */
  readonly secretInputs: string[];
}

/** The engine's marker of a secret value in serialized inputs. */
const secretSig = "4dabf18193072939515e22adb298388d";
const secretMarker = "1b47061264138c4ac30d75fd1eb44270";

function unwrapSecrets(value: unknown, found: { secret: boolean }): unknown {
  if (Array.isArray(value)) return value.map((v) => unwrapSecrets(v, found));
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  if (obj[secretSig] === secretMarker) {
    found.secret = true;
    return unwrapSecrets(obj.value, found);
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, unwrapSecrets(v, found)]));
}

type Resolved = Record<string, unknown>;

/**
 * Runs a program under Pulumi's mocks and returns every resource with its resolved inputs and its
 * explicit dependencies (captured by a transformation, since mocks do not see resource options).
 */
export async function captureResources(program: (transformations: pulumi.ResourceTransformation[]) => void): Promise<CapturedResource[]> {
  const inputs = new Map<string, Resolved>();
  const deps = new Map<string, { parent?: string; provider?: string; dependsOn: string[] }>();
  const nameOf = new Map<pulumi.Resource, string>();
  const secrets = new Map<string, string[]>();

  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        inputs.set(`${args.type}::${args.name}`, args.inputs as Resolved);
        secrets.set(
          `${args.type}::${args.name}`,
          Object.keys(args.inputs).filter((k) => {
            const found = { secret: false };
            unwrapSecrets(args.inputs[k], found);
            return found.secret;
          }),
        );
        const state: Resolved = { ...args.inputs };
        if (args.type === "random:index/randomPassword:RandomPassword") state.result = "mock-generated-password";
        if (args.type.startsWith("pulumi-nodejs:dynamic")) state.state = "RUNNING";
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    "bigdata",
    "test",
    false,
  );

  const capture: pulumi.ResourceTransformation = (args) => {
    nameOf.set(args.resource, `${args.type}::${args.name}`);
    const dependsOn = ([] as unknown[]).concat(args.opts.dependsOn ?? []) as pulumi.Resource[];
    deps.set(`${args.type}::${args.name}`, {
      parent: args.opts.parent ? nameOf.get(args.opts.parent) : undefined,
      provider: "provider" in args.opts && args.opts.provider ? nameOf.get(args.opts.provider) : undefined,
      dependsOn: dependsOn.map((d) => nameOf.get(d) ?? "?"),
    });
    return undefined;
  };
  let failure: unknown;
  try {
    program([capture]);
  } catch (e) {
    failure = e;
  }
  // Let every registration and output resolve, also after a failure: a registration still under way when Jest tears
  // the test down would crash the run and hide the failure.
  await new Promise((resolve) => setTimeout(resolve, 50));
  await waitForQuiet(inputs, deps);
  if (failure !== undefined) throw failure;

  return [...deps.entries()].map(([key, d]) => {
    const [type, name] = key.split("::");
    const plain = unwrapSecrets(inputs.get(key) ?? {}, { secret: false }) as Resolved;
    return {
      type,
      name,
      inputs: plain,
      parent: d.parent,
      provider: d.provider,
      dependsOn: d.dependsOn,
      secretInputs: secrets.get(key) ?? [],
    };
  });
}

/**
 * Until every declared resource has reached the mocks (a dynamic resource gets there only after its provider has
 * been serialized, which can outlast a short quiet spell) and no more arrive; at most 10 s.
 */
async function waitForQuiet(registered: Map<string, unknown>, declared: Map<string, unknown>): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = -1;
  while (Date.now() < deadline && (registered.size !== last || [...declared.keys()].some((k) => !registered.has(k)))) {
    last = registered.size;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

export const ofType = (resources: readonly CapturedResource[], type: string) => resources.filter((r) => r.type === type);
export const named = (resources: readonly CapturedResource[], name: string) => {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}; have: ${resources.map((r) => r.name).join(", ")}`);
  return found;
};
