/**
 * Why an image reference is not pinned, or undefined when it is: a digest, or a tag other than `latest`. The
 * registry host may carry a port (`host:5000/app`), so the tag is looked for after the last `/` only. Shared by the
 * config rules (targets that pull on other machines need pinned images) and the policy pack's images-pinned.
 */
export function unpinnedReason(image: string): string | undefined {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  if (colon < 0) return "has no tag (Docker would pull `latest`)";
  const tag = lastSegment.slice(colon + 1);
  if (tag === "" || tag === "latest") return "uses the moving tag `latest`";
  return undefined;
}
