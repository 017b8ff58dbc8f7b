import { unpinnedImages } from "../../config/rules";
import { defineTarget } from "../definition";
import { swarmRules } from "./settings";
import { SwarmTarget } from "./swarm-target";

export const swarmTargetDefinition = defineTarget<undefined>({
  kind: "swarm",
  summary: "a Docker Swarm",
  check: (_settings, cfg, images) => [...swarmRules(cfg), ...unpinnedImages("swarm", images)],
  create: (_settings, cfg, parent) => new SwarmTarget({ namePrefix: cfg.namePrefix, publicHost: cfg.publicHost, nodes: cfg.nodes }, parent),
});
