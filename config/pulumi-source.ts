import * as pulumi from "@pulumi/pulumi";
import { configNamespace } from "./issues";
import type { StackConfigSource } from "./load";

/**
 * The SDK knows which keys are secret but only exports that at runtime (not in its typings); this is
 * the one place the program relies on it.
 */
interface RuntimeConfigSecrets {
  isConfigSecret?: (fullKey: string) => boolean;
}

/** Reads this stack's `bigdata:*` configuration from the Pulumi runtime. */
export function readPulumiStackConfig(): StackConfigSource {
  const prefix = `${configNamespace}:`;
  const isSecret = (pulumi.runtime as unknown as RuntimeConfigSecrets).isConfigSecret ?? (() => false);
  const values: Record<string, string> = {};
  const secrets = new Set<string>();
  for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    values[key] = value;
    if (isSecret(fullKey)) secrets.add(key);
  }
  return { project: pulumi.getProject(), stack: pulumi.getStack(), values, secretKeys: secrets };
}
