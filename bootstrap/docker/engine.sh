#!/usr/bin/env bash
# Make sure a Docker engine answers on this machine (idempotent).
#
#   bootstrap/docker/engine.sh            # engine only
#   bootstrap/docker/engine.sh --swarm    # engine + single-node swarm manager (advertise 127.0.0.1)
#
# - If `docker info` already answers, nothing is installed or started.
# - Otherwise Debian's docker.io is installed if dockerd is missing (apt-get update first), and dockerd is
#   started in the background (no systemd here) with its log in $DOCKERD_LOG
#   (default: ${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}/dockerd.log).
# - Waits (bounded by $DOCKERD_WAIT_SECONDS, default 60) until the engine answers.
# Timings go to stderr.
set -euo pipefail

SWARM=0
for arg in "$@"; do
  case "$arg" in
    --swarm) SWARM=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "engine.sh: unknown argument: $arg (allowed: --swarm)" >&2; exit 2 ;;
  esac
done

CACHE_DIR="${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}"
DOCKERD_LOG="${DOCKERD_LOG:-$CACHE_DIR/dockerd.log}"
WAIT_SECONDS="${DOCKERD_WAIT_SECONDS:-60}"

T0=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }
log() { echo "[engine] $*" >&2; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

engine_up() { docker info >/dev/null 2>&1; }

if engine_up; then
  log "docker engine already answers ($(docker info --format '{{.ServerVersion}}' 2>/dev/null)); nothing to start ($(elapsed "$T0"))"
else
  if ! command -v dockerd >/dev/null 2>&1; then
    t=$(date +%s.%N)
    log "dockerd not found: installing Debian's docker.io"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q >&2
    $SUDO apt-get install -y -q --no-install-recommends docker.io >&2
    log "installed docker.io in $(elapsed "$t")"
  fi
  # Debian's docker.io ships a client in /usr/bin; another docker client earlier on PATH works too (API negotiation).
  if ! command -v docker >/dev/null 2>&1; then
    echo "engine.sh: no docker client on PATH after installing docker.io" >&2; exit 1
  fi
  t=$(date +%s.%N)
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  if pgrep -x dockerd >/dev/null 2>&1; then
    log "a dockerd process exists but does not answer yet; waiting for it"
  else
    log "starting dockerd in the background, log: $DOCKERD_LOG"
    # setsid: keep dockerd alive after this script (and its session) ends.
    $SUDO setsid dockerd >>"$DOCKERD_LOG" 2>&1 < /dev/null &
  fi
  deadline=$(( $(date +%s) + WAIT_SECONDS ))
  until engine_up; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "engine.sh: docker engine did not answer within ${WAIT_SECONDS}s; last log lines:" >&2
      tail -n 30 "$DOCKERD_LOG" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  log "docker engine $(docker info --format '{{.ServerVersion}}') answers after $(elapsed "$t")"
fi

if [ "$SWARM" -eq 1 ]; then
  t=$(date +%s.%N)
  state=$(docker info --format '{{.Swarm.LocalNodeState}}/{{.Swarm.ControlAvailable}}' 2>/dev/null || echo "unknown")
  case "$state" in
    active/true) log "already a swarm manager ($(elapsed "$t"))" ;;
    active/false) echo "engine.sh: this engine is a swarm worker, not a manager; leave that swarm first" >&2; exit 1 ;;
    *)
      docker swarm init --advertise-addr 127.0.0.1 >&2
      log "swarm initialised (advertise 127.0.0.1) in $(elapsed "$t")" ;;
  esac
fi

log "done in $(elapsed "$T0")"
