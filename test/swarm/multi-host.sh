#!/usr/bin/env bash
# A multi-host Docker Swarm on this one machine, for the swarm stack's end-to-end test: each host is a
# Docker-in-Docker container (image bigdata-local/swarm-node) with its own address on a bridge network of
# ours, one manager and the other nodes as workers, node labels set, and the platform's images loaded into
# every node (no registry here: docker save | docker load, skipped where the node already has the image).
#
#   test/swarm/multi-host.sh up      start (or restart) the nodes, form a fresh swarm, load images; prints the
#                                    topology as JSON on stdout and writes it to $STATE_FILE
#   test/swarm/multi-host.sh down    leave the swarm and remove the nodes and their network
#   test/swarm/multi-host.sh purge   down, and remove the nodes' image caches (their /var/lib/docker volumes)
#
# Env: SWARM_NODES (default 3), SWARM_API_PORT_BASE (default 23750: node i's Docker API is published on
#      127.0.0.1:BASE+i), BIGDATA_CACHE_DIR.
# Labels: every node bigdata.kafka=true; node-1 (the manager) bigdata.data=true, where the stateful singletons
# and the published admin ports go; the other nodes bigdata.spark=true, for Spark workers.
# Each node keeps its address across restarts (fixed in the network's subnet), as a real host does.
set -euo pipefail
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
nodes=${SWARM_NODES:-3}
api_base=${SWARM_API_PORT_BASE:-23750}
cache=${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}
STATE_FILE=${STATE_FILE:-$cache/multi-host-swarm.json}
network=bigdata-hosts
prefix=bigdata-host
label=bigdata.platform/test=multi-host
# shellcheck disable=SC1091
source "$repo/images/versions.env"
# shellcheck source=SCRIPTDIR/../host-network.sh
source "$repo/test/host-network.sh"
node_image=bigdata-local/swarm-node:$DEBIAN_SUITE

log() { echo "[multi-host] $*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
node_api() { echo "tcp://127.0.0.1:$((api_base + $1))"; }
on() { local i=$1; shift; docker -H "$(node_api "$i")" "$@"; }
address() { docker inspect -f "{{(index .NetworkSettings.Networks \"$network\").IPAddress}}" "$prefix-$1"; }

start_nodes() {
  create_network
  local i
  for i in $(seq 1 "$nodes"); do
    docker rm -f "$prefix-$i" >/dev/null 2>&1 || true
    # --privileged is refused on our machines; these capabilities are what a nested engine needs here.
    docker run -d --name "$prefix-$i" --hostname "node-$i" --network "$network" --ip "$(host_ip "$i")" --label "$label" \
      --cap-add SYS_ADMIN --cap-add NET_ADMIN --cap-add NET_RAW --cap-add SYS_MODULE --cap-add SYS_PTRACE \
      --cap-add MKNOD --cap-add DAC_READ_SEARCH --cap-add SYS_NICE --cap-add IPC_LOCK --cap-add NET_BROADCAST \
      --cap-add SYSLOG --cap-add AUDIT_CONTROL --cap-add MAC_ADMIN --cap-add SYS_RAWIO --cap-add LINUX_IMMUTABLE \
      --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
      -v /sys/fs/cgroup:/sys/fs/cgroup:rw -v "$prefix-$i-docker:/var/lib/docker" \
      -p "127.0.0.1:$((api_base + i)):2375" "$node_image" >/dev/null
  done
  for i in $(seq 1 "$nodes"); do
    # A deadline in wall time: a call to an engine that accepts but never answers must not stretch the wait.
    local deadline=$(( $(date +%s) + 90 ))
    until timeout 5 docker -H "$(node_api "$i")" version --format '{{.Server.Version}}' >/dev/null 2>&1; do
      [ "$(date +%s)" -lt "$deadline" ] || {
        docker logs --tail 30 "$prefix-$i" 2>&1 | grep -v 'module=grpc' >&2
        docker exec "$prefix-$i" ip -4 route >&2 || true
        die "node-$i's engine did not answer on $(node_api "$i") in 90 s (its log and routes above)"
      }
      sleep 1
    done
  done
}

form_swarm() {
  local i manager_ip token containers
  # A fresh swarm every time: addresses may have changed, and old tasks must not come back.
  for i in $(seq 1 "$nodes"); do
    on "$i" swarm leave --force >/dev/null 2>&1 || true
    mapfile -t containers < <(on "$i" ps -aq 2>/dev/null)
    [ "${#containers[@]}" -eq 0 ] || on "$i" rm -f "${containers[@]}" >/dev/null 2>&1 || true
    on "$i" network prune -f >/dev/null 2>&1 || true
    on "$i" volume prune -f >/dev/null 2>&1 || true
  done
  manager_ip=$(address 1)
  on 1 swarm init --advertise-addr "$manager_ip" >/dev/null
  token=$(on 1 swarm join-token -q worker)
  for i in $(seq 2 "$nodes"); do
    on "$i" swarm join --advertise-addr "$(address "$i")" --token "$token" "$manager_ip:2377" >/dev/null
  done
  on 1 node update --label-add bigdata.kafka=true --label-add bigdata.data=true node-1 >/dev/null
  for i in $(seq 2 "$nodes"); do
    on 1 node update --label-add bigdata.kafka=true --label-add bigdata.spark=true "node-$i" >/dev/null
  done
}

load_images() {
  local image i id pids=()
  for image in $(platform_images); do
    id=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null) || die "image $image is missing (run scripts/bootstrap.sh)"
  done
  # Nodes load in parallel; each node's images one after another (a load is mostly disk-bound).
  for i in $(seq 1 "$nodes"); do
    (
      for image in $(platform_images); do
        id=$(docker image inspect -f '{{.Id}}' "$image")
        if [ "$(on "$i" image inspect -f '{{.Id}}' "$image" 2>/dev/null)" = "$id" ]; then continue; fi
        t=$(now)
        docker save "$image" | on "$i" load -q >/dev/null
        log "node-$i: loaded $image in $(since "$t")"
      done
    ) &
    pids+=($!)
  done
  local failed=0 pid
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ "$failed" -eq 0 ] || die "loading images into the nodes failed"
}

topology() {
  local i sep=""
  printf '{"network": "%s", "nodes": [' "$network"
  for i in $(seq 1 "$nodes"); do
    printf '%s{"name": "node-%s", "container": "%s-%s", "address": "%s", "dockerHost": "%s", "role": "%s"}' \
      "$sep" "$i" "$prefix" "$i" "$(address "$i")" "$(node_api "$i")" "$([ "$i" = 1 ] && echo manager || echo worker)"
    sep=", "
  done
  printf ']}\n'
}

down() {
  local i
  for i in $(seq "$nodes" -1 1); do
    on "$i" swarm leave --force >/dev/null 2>&1 || true
    docker rm -f "$prefix-$i" >/dev/null 2>&1 || true
  done
  docker network rm "$network" >/dev/null 2>&1 || true
  rm -f "$STATE_FILE"
}

case "${1:-}" in
  up)
    t0=$(now)
    bash "$repo/bootstrap/docker/images.sh" swarm-node >&2
    t=$(now); start_nodes; log "$nodes engines up in $(since "$t")"
    t=$(now); form_swarm; log "swarm formed in $(since "$t"): $(on 1 node ls --format '{{.Hostname}}/{{.ManagerStatus}}' | tr '\n' ' ')"
    t=$(now); load_images; log "images in every node in $(since "$t")"
    mkdir -p "$(dirname "$STATE_FILE")"
    topology | tee "$STATE_FILE"
    log "ready in $(since "$t0")"
    ;;
  down) down; log "nodes removed (image caches kept in volumes $prefix-*-docker; 'purge' removes them)" ;;
  purge)
    down
    for i in $(seq 1 "$nodes"); do docker volume rm "$prefix-$i-docker" >/dev/null 2>&1 || true; done
    log "nodes and their image caches removed"
    ;;
  *) sed -n '2,17p' "$0" >&2; exit 2 ;;
esac
