import { adminEndpoint, isWildcardAddress } from "../lib/admin-endpoints";
import { resourcePolicy } from "../lib/policy";
import { type ResourceView, dockerLabels, k8sLabels, types } from "../lib/resources";
import { type DevStackConfig, devStacksSchema, isDevStack } from "../lib/stack";
import { asArray, asNumber, asObject, asString, at, isUnknown } from "../lib/values";

/**
 * Two policies because the targets differ in what the program can choose. On one Docker host a published port
 * names the address it binds to, so binding an admin port to every interface is a mistake the stack config can
 * fix (`docker.publishAddress`): mandatory. A swarm service's host-mode port binds every interface of its node
 * (swarm has no per-port address), and a Kubernetes LoadBalancer or NodePort Service answers on every node or on
 * the load balancer's address: there the exposure is controlled outside the program (host firewall, security
 * groups, `loadBalancerSourceRanges`, an SSH tunnel with `kafkaConnect.adminUrl`), so it is advisory: it tells the
 * reviewer which admin endpoints need that control.
 */

const dockerWildcardAdminPorts = (r: ResourceView): string[] => {
  if (r.type !== types.dockerContainer) return [];
  const labels = dockerLabels(r.props.labels);
  return asArray(r.props.ports).flatMap((p, i) => {
    const internal = asNumber(at(p, "internal"));
    const what = adminEndpoint(labels, internal);
    const ip = at(p, "ip");
    if (what === undefined || isUnknown(ip) || !isWildcardAddress(asString(ip))) return [];
    return [
      `${r.name}: ports[${i}] publishes ${what} (container port ${internal}, host port ${asNumber(at(p, "external")) ?? "any"}) on ` +
        `every interface (ip "${asString(ip) ?? ""}"). Outside a dev stack bind it to one address: set bigdata:docker.publishAddress to ` +
        "127.0.0.1 or a private address, or stop publishing the port.",
    ];
  });
};

export const adminEndpointsNotOnAllInterfaces = resourcePolicy<DevStackConfig>({
  name: "admin-endpoints-not-on-all-interfaces",
  description:
    "Outside a dev stack, no admin endpoint (MariaDB, Kafka Connect REST, Spark master and UI, consoles, notebooks) is " +
    "published by a Docker container on every interface. Why: none of them authenticates in our images; on 0.0.0.0 " +
    "anyone who reaches the host can read the data, register connectors or submit Spark jobs.",
  enforcementLevel: "mandatory",
  configSchema: devStacksSchema,
  check: (r, config) => (isDevStack(r.urn, config) ? [] : dockerWildcardAdminPorts(r)),
});

function swarmPublishedAdminPorts(r: ResourceView): string[] {
  const labels = dockerLabels(r.props.labels);
  return asArray(at(r.props, "endpointSpec", "ports")).flatMap((p, i) => {
    const target = asNumber(at(p, "targetPort"));
    const what = adminEndpoint(labels, target);
    if (what === undefined) return [];
    return [
      `${r.name}: endpointSpec.ports[${i}] publishes ${what} (container port ${target}) as host port ${asNumber(at(p, "publishedPort")) ?? "?"} ` +
        "on every interface of its node (swarm cannot bind a published port to one address). Restrict that port with the " +
        "nodes' firewall to the admin network, or stop publishing it (for Connect: reach it through a tunnel and set kafkaConnect.adminUrl).",
    ];
  });
}

function k8sExposedAdminPorts(r: ResourceView): string[] {
  const spec = asObject(r.props.spec);
  const type = asString(spec?.type);
  if (spec === undefined || (type !== "LoadBalancer" && type !== "NodePort")) return [];
  const sourceRanges = asArray(spec.loadBalancerSourceRanges).map(asString);
  const restricted = type === "LoadBalancer" && sourceRanges.length > 0 && !sourceRanges.some((s) => s === "0.0.0.0/0" || s === "::/0");
  if (restricted) return [];
  const labels = k8sLabels(r.props);
  return asArray(spec.ports).flatMap((p, i) => {
    const target = asNumber(at(p, "targetPort")) ?? asNumber(at(p, "port"));
    const what = adminEndpoint(labels, target);
    if (what === undefined) return [];
    const how =
      type === "LoadBalancer"
        ? `on a LoadBalancer open to every source (spec.loadBalancerSourceRanges is ${sourceRanges.length ? "0.0.0.0/0" : "unset"}); set spec.loadBalancerSourceRanges to the admin network's CIDRs`
        : `on node port ${asNumber(at(p, "nodePort")) ?? "?"} of every node; keep the nodes' ports behind a firewall or use a ClusterIP Service and kubectl port-forward`;
    return [`${r.name}: spec.ports[${i}] exposes ${what} (port ${target}) ${how}.`];
  });
}

export const adminEndpointsBeyondTheHost = resourcePolicy<DevStackConfig>({
  name: "admin-endpoints-exposure-reviewed",
  description:
    "Outside a dev stack, admin endpoints published by a swarm service (host-mode ports bind every interface of the node) " +
    "or exposed by a Kubernetes LoadBalancer or NodePort Service are listed for review. Why: the program cannot bind them " +
    "to one address on these targets; a firewall, loadBalancerSourceRanges or a tunnel must keep them private.",
  enforcementLevel: "advisory",
  configSchema: devStacksSchema,
  check: (r, config) => {
    if (isDevStack(r.urn, config)) return [];
    if (r.type === types.dockerService) return swarmPublishedAdminPorts(r);
    if (r.type === types.k8sService) return k8sExposedAdminPorts(r);
    return [];
  },
});
