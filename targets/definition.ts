import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { ConfigIssue } from "../config/issues";
import type { PlatformConfig } from "../config/load";
import type { TargetConfigPart } from "../config/rules";
import type { ParsedPlatformConfig } from "../config/schema";
import type { ImagesByRole } from "../config/services";
import type { Target } from "../model/target";

/**
 * Everything a deployment target brings: its kind (the value of `bigdata:target`), its config section
 * and the rules only it has, and how it is built. Adding a target is a folder with one of these, and a line
 * in `registry.ts`.
 */
export interface TargetDefinition<Settings> {
  readonly kind: string;
  readonly summary: string;
  /** Its section, read from the key named like the kind; without one, its settings are `undefined`. */
  readonly settings?: z.ZodObject;
  /** Issues only this target has, with its section as `settings` parsed it. */
  check(settings: Settings, cfg: ParsedPlatformConfig, images: ImagesByRole): ConfigIssue[];
  /** Builds the target inside the platform component (its network or namespace become children). */
  create(settings: Settings, cfg: PlatformConfig, parent: pulumi.Resource): Target;
}

/** A target as the registry holds it: its settings type is known only inside its own folder. */
export interface RegisteredTarget extends TargetConfigPart {
  create(settings: unknown, cfg: PlatformConfig, parent: pulumi.Resource): Target;
}

/**
 * Erases the settings type at the registry's edge. Sound because the config loader hands `check` and
 * `create` the target's own section exactly as `settings` parsed it (loadPlatformConfig, withTargetSettings).
 */
export function defineTarget<Settings>(definition: TargetDefinition<Settings>): RegisteredTarget {
  return {
    kind: definition.kind,
    summary: definition.summary,
    settings: definition.settings,
    check: (settings, cfg, images) => definition.check(settings as Settings, cfg, images),
    create: (settings, cfg, parent) => definition.create(settings as Settings, cfg, parent),
  };
}
