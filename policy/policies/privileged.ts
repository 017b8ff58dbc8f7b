import { resourcePolicy } from "../lib/policy";
import { type ResourceView, podContainers, podSpecOf, types } from "../lib/resources";
import { asArray, asString, at } from "../lib/values";

/** Container runtime sockets: whoever holds one is root on the host. */
const runtimeSockets = [
  "/var/run/docker.sock",
  "/run/docker.sock",
  "/run/containerd/containerd.sock",
  "/var/run/containerd/containerd.sock",
];
const isRuntimeSocket = (path: string | undefined) => path !== undefined && runtimeSockets.includes(path.replace(/\/+$/, ""));

function findings(r: ResourceView): string[] {
  const out: string[] = [];
  if (r.type === types.dockerContainer) {
    if (r.props.privileged === true)
      out.push("privileged is true; remove it (add the single capability the workload needs with capabilities.adds instead)");
    asArray(r.props.volumes).forEach((v, i) => {
      if (isRuntimeSocket(asString(at(v, "hostPath"))))
        out.push(`volumes[${i}].hostPath mounts the Docker socket ${asString(at(v, "hostPath"))}; remove the mount`);
    });
    asArray(r.props.mounts).forEach((m, i) => {
      if (isRuntimeSocket(asString(at(m, "source"))))
        out.push(`mounts[${i}].source mounts the Docker socket ${asString(at(m, "source"))}; remove the mount`);
    });
  } else if (r.type === types.dockerService) {
    asArray(at(r.props, "taskSpec", "containerSpec", "mounts")).forEach((m, i) => {
      if (isRuntimeSocket(asString(at(m, "source"))))
        out.push(`taskSpec.containerSpec.mounts[${i}].source mounts the Docker socket ${asString(at(m, "source"))}; remove the mount`);
    });
  } else {
    const pod = podSpecOf(r.type, r.props);
    if (pod === undefined) return [];
    for (const c of podContainers(pod))
      if (at(c.container, "securityContext", "privileged") === true) out.push(`${c.path}.securityContext.privileged is true; remove it`);
    asArray(pod.spec.volumes).forEach((v, i) => {
      const path = asString(at(v, "hostPath", "path"));
      if (isRuntimeSocket(path))
        out.push(`${pod.path}.volumes[${i}].hostPath.path mounts the container runtime's socket ${path}; remove the volume`);
    });
  }
  return out.map((m) => `${r.name}: ${m}.`);
}

export const noPrivilegedContainers = resourcePolicy<object>({
  name: "no-privileged-containers-or-runtime-socket",
  description:
    "No workload runs privileged or mounts the Docker (or containerd) socket. Why: either gives the container root on the " +
    "host, and through the swarm manager's socket on every node; none of the platform's services needs it.",
  enforcementLevel: "mandatory",
  check: findings,
});
