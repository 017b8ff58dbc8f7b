import { z } from "zod";
import type { ConfigIssue } from "../../config/issues";
import type { ParsedPlatformConfig } from "../../config/schema";
import { placements } from "../../config/services";

export const dockerSettingsSchema = z.strictObject({
  publishAddress: z
    .string()
    .min(1)
    .default("127.0.0.1")
    .describe("Host address published ports bind to on the docker target; loopback keeps a dev stack private."),
});
export type DockerSettings = z.output<typeof dockerSettingsSchema>;

/** One host has no nodes to choose from: a placement would be ignored silently. */
export function dockerRules(cfg: ParsedPlatformConfig): ConfigIssue[] {
  return placements(cfg)
    .filter(([, labels]) => Object.keys(labels).length > 0)
    .map(([key]) => ({ key, message: "placement applies to the swarm and kubernetes targets only; remove it for target 'docker'" }));
}
