import type { PlatformConfig } from "../config/load";
import type { TargetFactory } from "../model/target";
import type { RegisteredTarget } from "./definition";
import { dockerTargetDefinition } from "./docker/definition";
import { kubernetesTargetDefinition } from "./kubernetes/definition";
import { swarmTargetDefinition } from "./swarm/definition";

/** Every target the program can deploy onto; `bigdata:target` names one of them. */
export const targetRegistry: readonly RegisteredTarget[] = [dockerTargetDefinition, swarmTargetDefinition, kubernetesTargetDefinition];

/** The configured target's factory. */
export function targetFor(cfg: PlatformConfig): TargetFactory {
  const definition = targetRegistry.find((t) => t.kind === cfg.target);
  if (definition === undefined)
    throw new Error(`target '${cfg.target}' is not registered (known: ${targetRegistry.map((t) => t.kind).join(", ")})`);
  return (parent) => definition.create(cfg.targetSettings, cfg, parent);
}
