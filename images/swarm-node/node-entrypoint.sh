#!/bin/sh
# Starts the node's Docker engine: the local socket, and its API on TCP 2375 for the outer host (the test
# publishes it on loopback only). Extra arguments go to dockerd.
set -eu
# A container that stopped uncleanly leaves these behind, and dockerd then refuses to start.
rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid
# /var/lib/docker is a volume that outlives the container (it caches the images). A new container may sit in
# another subnet than the one the volume's engine last saw, and the local networks it stored (docker0,
# docker_gwbridge) would then shadow the node's own address: its API stops answering. So a container's
# first boot forgets the local networks and the swarm membership (the fixture forms a fresh swarm anyway);
# a restart of the same container keeps them, as a rebooted host does.
first_boot_marker=/etc/swarm-node-booted
if [ ! -e "$first_boot_marker" ]; then
  rm -rf /var/lib/docker/network/files/local-kv.db /var/lib/docker/swarm
  touch "$first_boot_marker"
fi
exec dockerd --host unix:///var/run/docker.sock --host tcp://0.0.0.0:2375 --storage-driver overlay2 "$@"
