import type { z } from "zod";
import { defaultImages } from "./images";
import { ConfigError, type ConfigIssue } from "./issues";
import { rules, type TargetConfigPart } from "./rules";
import { composeConfigSchema, type ParsedPlatformConfig } from "./schema";
import { type ImageRole, type ImagesByRole, imageRoles, services } from "./services";
import { closestKey, knownKeysAt } from "./suggest";

/** Passwords are read only from these top-level keys, and only when they are Pulumi secrets. */
export const secretKeys = ["mariadbRootPassword", "mariadbPassword", "mariadbCdcPassword"] as const;
export type SecretKey = (typeof secretKeys)[number];

/** Raw stack configuration, independent of how it was read (Pulumi runtime, YAML file in a test). */
export interface StackConfigSource {
  readonly project: string;
  readonly stack: string;
  /** Values by key without the namespace; objects and arrays as JSON text, as Pulumi hands them over. */
  readonly values: Readonly<Record<string, string>>;
  /** Keys (without namespace) whose values are secrets. */
  readonly secretKeys: ReadonlySet<string>;
}

/** The validated model every component is built from. */
export interface PlatformConfig extends Omit<ParsedPlatformConfig, "namePrefix"> {
  readonly stack: string;
  readonly namePrefix: string;
  /** The image each service runs: the config's override, or the image set's default. */
  readonly images: Readonly<Record<ImageRole, string>>;
  /** Secret values given in config; the platform generates the rest. Plain text only in memory. */
  readonly secrets: Readonly<Partial<Record<SecretKey, string>>>;
}

const safePassword = /^[A-Za-z0-9_.,:@%+=-]{12,}$/;
const passwordLikeKey = /pass(word)?$|secret|credential/i;

function parseValue(raw: string): unknown {
  const trimmed = raw.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return raw;
    }
  }
  return raw;
}

function pathToKey(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
    "",
  );
}

function schemaIssues(error: z.ZodError, schema: z.ZodType): ConfigIssue[] {
  return error.issues.flatMap((issue): ConfigIssue[] => {
    const base = pathToKey(issue.path);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => {
        const meant = closestKey(k, knownKeysAt(schema, issue.path));
        const hint = meant === undefined ? "" : `; did you mean ${base ? `${base}.${meant}` : meant}?`;
        return { key: base ? `${base}.${k}` : k, message: `is not a known setting${hint} (see the configuration reference in README.md)` };
      });
    }
    return [{ key: base || "(root)", message: issue.message }];
  });
}

/** Finds password-like fields inside plain objects: they would sit in the stack file and state in clear text. */
function plainPasswords(value: unknown, key: string): ConfigIssue[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => plainPasswords(v, `${key}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    passwordLikeKey.test(k)
      ? [
          {
            key: `${key}.${k}`,
            message: `passwords are not read from plain config; set one of the secret keys (${secretKeys.join(", ")}) with \`pulumi config set --secret\``,
          },
        ]
      : plainPasswords(v, `${key}.${k}`),
  );
}

function ruleChecks(cfg: ParsedPlatformConfig, target: TargetConfigPart): { issues: ConfigIssue[]; images: ImagesByRole } {
  const defaults = defaultImages(cfg.imageSet);
  const images = Object.fromEntries(services.map((s) => [s.role, s.image(cfg) ?? defaults[s.role]])) as Record<
    ImageRole,
    string | undefined
  >;
  return { issues: [...rules.flatMap((rule) => rule(cfg, images)), ...target.check(cfg.targetSettings, cfg, images)], images };
}

/** The parsed object as the model holds it: the chosen target's section as its settings, the other targets' sections dropped. */
function withTargetSettings(
  parsed: Record<string, unknown>,
  targets: readonly TargetConfigPart[],
): { cfg: ParsedPlatformConfig; target: TargetConfigPart } {
  const target = targets.find((t) => t.kind === parsed.target);
  if (target === undefined) throw new Error(`target '${String(parsed.target)}' passed the schema but is not registered`);
  const common = Object.fromEntries(Object.entries(parsed).filter(([k]) => !targets.some((t) => t.kind === k)));
  return { cfg: { ...common, targetSettings: parsed[target.kind] } as ParsedPlatformConfig, target };
}

/** Where an issue points: the offending key itself for unknown keys, else its path. */
function issuePath(issue: z.core.$ZodIssue): PropertyKey[][] {
  return issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
}

/** A copy of the raw config without the given paths, so defaults stand in for what was invalid. */
function withoutPaths(value: Record<string, unknown>, paths: PropertyKey[][][]): Record<string, unknown> {
  const copy = structuredClone(value);
  for (const path of paths.flat()) {
    if (path.length === 0) continue;
    let node: unknown = copy;
    for (const part of path.slice(0, -1))
      node = node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[part] : undefined;
    if (node !== null && typeof node === "object") delete (node as Record<PropertyKey, unknown>)[path[path.length - 1]];
  }
  return copy;
}

/**
 * Validates the whole stack configuration before any resource is declared.
 * Throws ConfigError listing every problem; returns the model otherwise.
 */
export function loadPlatformConfig(source: StackConfigSource, targets: readonly TargetConfigPart[]): PlatformConfig {
  const schema = composeConfigSchema(targets);
  const issues: ConfigIssue[] = [];
  const plain: Record<string, unknown> = {};
  const secrets: Partial<Record<SecretKey, string>> = {};

  for (const [key, raw] of Object.entries(source.values)) {
    if ((secretKeys as readonly string[]).includes(key)) {
      if (!source.secretKeys.has(key)) {
        issues.push({ key, message: `must be a secret: pulumi config set --secret ${key} <value>` });
      } else if (!safePassword.test(raw)) {
        // Passwords end up in SQL, shell and JDBC settings; this alphabet needs no quoting in any of them.
        issues.push({ key, message: "must be at least 12 characters of letters, digits and _ . , : @ % + = -" });
      } else {
        secrets[key as SecretKey] = raw;
      }
      continue;
    }
    const value = parseValue(raw);
    issues.push(...plainPasswords(value, key));
    plain[key] = value;
  }

  const parsed = schema.safeParse(plain);
  if (!parsed.success) {
    // Still check the cross-field rules on what is valid, so one run lists every problem.
    const fieldIssues = schemaIssues(parsed.error, schema);
    const rest = schema.safeParse(withoutPaths(plain, parsed.error.issues.map(issuePath)));
    const ruleIssues = rest.success ? (({ cfg, target }) => ruleChecks(cfg, target).issues)(withTargetSettings(rest.data, targets)) : [];
    throw new ConfigError([...issues, ...fieldIssues, ...ruleIssues.filter((r) => !fieldIssues.some((f) => f.key === r.key))]);
  }
  const { cfg, target } = withTargetSettings(parsed.data, targets);
  const { issues: ruleIssues, images } = ruleChecks(cfg, target);
  issues.push(...ruleIssues);
  if (issues.length > 0) throw new ConfigError(issues);

  return {
    ...cfg,
    stack: source.stack,
    namePrefix:
      cfg.namePrefix ??
      `bigdata-${source.stack}`
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .slice(0, 40),
    // Roles with no image are off (imagesAvailable guarantees it); "" never reaches a workload.
    images: Object.fromEntries(imageRoles.map((r) => [r, images[r] ?? ""])) as Record<ImageRole, string>,
    secrets,
  };
}
