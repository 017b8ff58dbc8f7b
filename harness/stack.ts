import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { LocalWorkspace, type OutputMap, type PreviewResult, type Stack } from "@pulumi/pulumi/automation";

export const repoRoot = path.resolve(__dirname, "..");

type ConfigValues = Record<string, unknown>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; anything else in `over` replaces. */
export function deepMerge(base: ConfigValues, over: ConfigValues): ConfigValues {
  const out: ConfigValues = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k] as ConfigValues, v) : v;
  return out;
}

/**
 * Locks a killed run left in a file backend (no process holds them: test stacks are driven by one run
 * at a time); without this the stale state could not be removed.
 */
function removeStaleLocks(stackName: string): void {
  const backend = process.env.PULUMI_BACKEND_URL ?? "";
  if (!backend.startsWith("file://")) return;
  const locks = path.join(backend.slice("file://".length).split("?")[0], ".pulumi", "locks");
  if (!fs.existsSync(locks)) return;
  for (const entry of fs.readdirSync(locks, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory() && entry.name === stackName)
      fs.rmSync(path.join(entry.parentPath, entry.name), { recursive: true, force: true });
  }
}

/**
 * A throwaway stack for end-to-end tests: the committed stack file's config plus overrides, written
 * as Pulumi.<name>.yaml (git-ignored) and driven through Pulumi's Automation API.
 */
export class TestStack {
  private constructor(
    readonly name: string,
    private readonly file: string,
    readonly stack: Stack,
  ) {}

  /** `overrides` are `bigdata:` keys (without the namespace); `providerConfig` keys are taken as they are (e.g. `docker:host`). */
  static async create(name: string, baseStack: string, overrides: ConfigValues, providerConfig: ConfigValues = {}): Promise<TestStack> {
    const base = yaml.load(fs.readFileSync(path.join(repoRoot, `Pulumi.${baseStack}.yaml`), "utf8")) as { config: ConfigValues };
    const file = path.join(repoRoot, `Pulumi.${name}.yaml`);
    const config = {
      ...deepMerge(base.config, Object.fromEntries(Object.entries(overrides).map(([k, v]) => [`bigdata:${k}`, v]))),
      ...providerConfig,
    };
    // A run that died half-way leaves its stack's state; its resources are cleaned by label, so the state must go too
    // (removing a stack also deletes its stack file, so this comes before writing it).
    const workspace = await LocalWorkspace.create({ workDir: repoRoot });
    if ((await workspace.listStacks()).some((s) => s.name === name)) {
      removeStaleLocks(name);
      await workspace.removeStack(name, { force: true });
    }
    fs.writeFileSync(file, yaml.dump({ config }));
    const stack = await LocalWorkspace.createOrSelectStack({ stackName: name, workDir: repoRoot });
    return new TestStack(name, file, stack);
  }

  /** Changes config the way a user edits the stack file (keeps what Pulumi added, like the salt). */
  updateConfig(overrides: ConfigValues): void {
    const doc = yaml.load(fs.readFileSync(this.file, "utf8")) as { config: ConfigValues };
    doc.config = deepMerge(doc.config, Object.fromEntries(Object.entries(overrides).map(([k, v]) => [`bigdata:${k}`, v])));
    fs.writeFileSync(this.file, yaml.dump(doc));
  }

  async up(): Promise<OutputMap> {
    const result = await this.stack.up({ onOutput: (s) => process.stdout.write(s), color: "never" });
    return result.outputs;
  }

  preview(opts: { expectNoChanges?: boolean } = {}): Promise<PreviewResult> {
    return this.stack.preview({
      expectNoChanges: opts.expectNoChanges,
      onOutput: (s) => process.stdout.write(s),
      color: "never",
      diff: true,
    });
  }

  /** Destroys the stack, removes it and its file, and returns what `pulumi destroy` printed. */
  async destroyAndRemove(): Promise<string> {
    const result = await this.stack.destroy({ onOutput: (s) => process.stdout.write(s), color: "never" });
    await this.stack.workspace.removeStack(this.name);
    fs.rmSync(this.file, { force: true });
    return result.stdout;
  }
}
