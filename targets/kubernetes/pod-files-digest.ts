import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import type { WorkloadSpec } from "../../model/workload";

/** The pod template annotation that carries a workload's files digest. */
export const podFilesDigestAnnotation = "bigdata.platform/files-sha256";

/**
 * A digest of what a pod reads from its ConfigMap and Secret when it starts: every file (path and content) and every
 * secret env variable. Kubernetes never updates a subPath-mounted file or an env variable in a running pod, so a
 * changed file would otherwise reach no pod until it happened to restart; with the digest in the pod template, a
 * changed file rolls the pods as a changed image does. The digest is secret whenever one of its inputs is (Pulumi's
 * rule), so not even a password's hash is stored in plain text. Undefined when the pod reads nothing.
 */
export function podFilesDigest(spec: Pick<WorkloadSpec, "files" | "secretEnv">): pulumi.Output<string> | undefined {
  const files = spec.files ?? [];
  const secretEnv = Object.entries(spec.secretEnv ?? {});
  if (files.length === 0 && secretEnv.length === 0) return undefined;
  return pulumi
    .all([
      pulumi.all(files.map((f) => pulumi.all([f.path, f.content]))),
      pulumi.all(secretEnv.map(([name, value]) => pulumi.all([name, value]))),
    ])
    .apply((read) => createHash("sha256").update(JSON.stringify(read)).digest("hex"));
}
