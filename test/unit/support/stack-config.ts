import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { configNamespace } from "../../../config/issues";
import { deepMerge } from "../../../harness/stack";
import { loadPlatformConfig, type PlatformConfig, type StackConfigSource } from "../../../config/load";
import { targetRegistry } from "../../../targets/registry";

export const repoRoot = path.resolve(__dirname, "..", "..", "..");

/** Values as Pulumi hands them to a program: strings, with objects and arrays as JSON text. */
function toRaw(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A config source from plain values (keys without namespace), as a test writes them. */
export function configSource(values: Record<string, unknown>, opts: { stack?: string; secretKeys?: string[] } = {}): StackConfigSource {
  return {
    project: configNamespace,
    stack: opts.stack ?? "test",
    values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, toRaw(v)])),
    secretKeys: new Set(opts.secretKeys ?? []),
  };
}

/**
 * The committed Pulumi.<stack>.yaml as a config source; `set` (keys without namespace) is merged into it key by key,
 * as `pulumi config set --path` would.
 */
export function stackFileSource(stack: string, set: Record<string, unknown> = {}): StackConfigSource {
  const file = path.join(repoRoot, `Pulumi.${stack}.yaml`);
  const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
  const prefix = `${configNamespace}:`;
  const values = Object.fromEntries(
    Object.entries(doc.config ?? {})
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
  return configSource(deepMerge(values, set), { stack });
}

export function readRepoFile(...parts: string[]): string {
  return fs.readFileSync(path.join(repoRoot, ...parts), "utf8");
}

/** Validates a config source the way the program does, with every registered target. */
export function loadConfig(source: StackConfigSource): PlatformConfig {
  return loadPlatformConfig(source, targetRegistry);
}
