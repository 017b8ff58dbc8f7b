/**
 * The Docker API addresses the platform can reach by itself (a node's `dockerHost`): the config validates them and
 * the swarm target's destroy wait polls them.
 */

/** Where an engine listens: a Unix socket or a plain-TCP host and port. */
export type DockerEndpoint = { readonly socketPath: string } | { readonly hostname: string; readonly port: number };

/** The forms of `nodes[].dockerHost` the platform can poll (TLS and ssh:// are not among them). */
export const DOCKER_HOST_FORMS = "tcp://HOST:PORT or unix:///PATH/TO/docker.sock";

/** Parses a DOCKER_HOST-style address; throws naming the allowed forms. */
export function dockerEndpoint(dockerHost: string): DockerEndpoint {
  const unix = /^unix:\/\/(\/.+)$/.exec(dockerHost);
  if (unix) return { socketPath: unix[1] };
  const tcp = /^tcp:\/\/(\[[0-9a-fA-F:]+\]|[^:/\s]+):(\d{1,5})\/?$/.exec(dockerHost);
  if (tcp && Number(tcp[2]) > 0 && Number(tcp[2]) < 65536) return { hostname: tcp[1].replace(/^\[|\]$/g, ""), port: Number(tcp[2]) };
  throw new Error(`Docker host '${dockerHost}' is not ${DOCKER_HOST_FORMS}`);
}
