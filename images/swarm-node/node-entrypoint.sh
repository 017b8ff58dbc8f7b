#!/bin/sh
# Starts the node's Docker engine: the local socket, and its API on TCP 2375 for the outer host (the test
# publishes it on loopback only). Extra arguments go to dockerd.
set -eu
# A container that stopped uncleanly leaves these behind, and dockerd then refuses to start.
rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid
exec dockerd --host unix:///var/run/docker.sock --host tcp://0.0.0.0:2375 --storage-driver overlay2 "$@"
