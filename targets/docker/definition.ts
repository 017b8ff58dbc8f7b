import { defineTarget } from "../definition";
import { DockerTarget } from "./docker-target";
import { type DockerSettings, dockerRules, dockerSettingsSchema } from "./settings";

export const dockerTargetDefinition = defineTarget<DockerSettings>({
  kind: "docker",
  summary: "one Docker host",
  settings: dockerSettingsSchema,
  check: (_settings, cfg) => dockerRules(cfg),
  create: (settings, cfg, parent) =>
    new DockerTarget({ namePrefix: cfg.namePrefix, publishAddress: settings.publishAddress, publicHost: cfg.publicHost }, parent),
});
