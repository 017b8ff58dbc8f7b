#!/usr/bin/env bash
# Everything a machine of ours needs before `pulumi up`, idempotent and cached (a second run takes seconds):
#   npm packages, a Docker engine (and a single-node swarm with --swarm), the Pulumi CLI and plugins built
#   from the Go module proxy, and every platform image built locally (no image registry is reachable here).
#
#   scripts/bootstrap.sh [--swarm]
#
# Afterwards: `source bootstrap/pulumi/env.sh` puts the toolchain on PATH for this shell.
set -euo pipefail
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

engine_args=()
for arg in "$@"; do
  case "$arg" in
    --swarm) engine_args+=(--swarm) ;;
    *) echo "bootstrap.sh: unknown argument: $arg (allowed: --swarm)" >&2; exit 2 ;;
  esac
done

phase() {
  local name=$1; shift
  local start=$SECONDS
  echo "== bootstrap: $name" >&2
  "$@"
  echo "== bootstrap: $name done in $((SECONDS - start))s" >&2
}

npm_packages() {
  # Reinstall only when package-lock.json changed since the last install here.
  local stamp=node_modules/.bigdata-lock.sha256 want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  # An `npm ci` run just before (as .ci/run does) leaves npm's own record, newer than the lock: no second install.
  if [ ! -f "$stamp" ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then echo "$want" >"$stamp"; fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
  fi
}

phase "npm packages" npm_packages
phase "docker engine" bash bootstrap/docker/engine.sh "${engine_args[@]}"
phase "pulumi toolchain" bash -c 'bootstrap/pulumi/install.sh >/dev/null'
# The default images, and the notebook's (only stacks with notebook.enabled run it, but any stack may turn it on, and a
# cached image costs a second; built from scratch it adds about 4 minutes and 350 MB over the spark image).
phase "images" bash bootstrap/docker/images.sh default notebook
