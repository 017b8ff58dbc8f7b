#!/usr/bin/env bash
# Installs Ruff (bootstrap/ruff/requirements.txt: pinned, hash-checked) into a cached venv with the machine's own pip
# configuration, and prints the binary's path as the LAST line of stdout:
#
#   ruff=$(bootstrap/ruff/install.sh | tail -1)
#
# Cache: ${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}/ruff/<hash of requirements.txt>/
# (a venv; a changed pin makes a new one and removes the old). About 5 s once, then instant.
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
cache=${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}/ruff
die() { echo "[ruff-install] ERROR: $*" >&2; exit 1; }

command -v python3 >/dev/null 2>&1 || die "python3 is missing (Debian: apt-get install python3 python3-venv)"
key=$(sha256sum "$here/requirements.txt" | cut -c1-16)
venv=$cache/$key
mkdir -p "$cache"
# One install at a time per cache (a second caller waits, then finds the venv complete).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/.install.lock"
  flock 9
fi
if [ ! -f "$venv/.complete" ]; then
  rm -rf "$venv"
  if ! python3 -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      die "python3 -m venv failed; install python3-venv (Debian: apt-get install python3-venv)"
    fi
    echo "[ruff-install] python3 -m venv failed; installing Debian's python3-venv" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null; }
    python3 -m venv "$venv"
  fi
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r "$here/requirements.txt" >&2
  touch "$venv/.complete"
  find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name "$key" -exec rm -rf {} +
fi
echo "$venv/bin/ruff"
