import { unpinnedReason } from "../../model/image-reference";
import { resourcePolicy } from "../lib/policy";
import { type ResourceView, podContainers, podSpecOf, types } from "../lib/resources";
import { type Plain, asString, at, isUnknown } from "../lib/values";

/** Every image a resource runs, with the input field that sets it. */
function imagesOf(r: ResourceView): { image: Plain | undefined; field: string }[] {
  if (r.type === types.dockerContainer) return [{ image: r.props.image, field: "image" }];
  if (r.type === types.dockerService)
    return [{ image: at(r.props, "taskSpec", "containerSpec", "image"), field: "taskSpec.containerSpec.image" }];
  const pod = podSpecOf(r.type, r.props);
  return pod === undefined ? [] : podContainers(pod).map((c) => ({ image: c.container.image, field: `${c.path}.image` }));
}

export const imagesPinned = resourcePolicy<object>({
  name: "images-pinned",
  description:
    "Every container image is pinned to a version tag or a digest, never `latest` or untagged. Why: a moving tag " +
    "makes two deploys of the same commit run different software, and a reviewed preview says nothing about what " +
    "will run (images that went stale or vanished, like Bitnami's 2025 move, broke stacks that did not pin).",
  enforcementLevel: "mandatory",
  check: (r) =>
    imagesOf(r).flatMap(({ image, field }) => {
      if (image === undefined || isUnknown(image)) return [];
      const ref = asString(image);
      if (ref === undefined) return [];
      const reason = unpinnedReason(ref);
      return reason === undefined
        ? []
        : [
            `${r.name}: ${field} "${ref}" ${reason}. Set it to a version tag (e.g. "${ref.replace(/:latest$/, "")}:1.2.3") or a digest (@sha256:...) in the stack's image config.`,
          ];
    }),
});
