#!/usr/bin/env bash
# Makes (once) a venv of pinned, hash-checked requirements with the machine's own pip configuration, and prints its
# path as the LAST line of stdout:
#
#   venv=$(bash bootstrap/python/cached-venv.sh CACHE_DIR REQUIREMENTS_FILE... | tail -n 1)
#
# The venv is CACHE_DIR/<key>, the key a hash of the Python version and the requirements files: a second call reuses
# it, a changed pin makes a new one and removes the old ones from CACHE_DIR. Debian's python3-venv is installed when
# `python3 -m venv` fails and this runs as root.
set -euo pipefail
die() { echo "cached-venv: $*" >&2; exit 1; }
[ $# -ge 2 ] || die "usage: cached-venv.sh CACHE_DIR REQUIREMENTS_FILE..."
cache=$1
shift
command -v python3 >/dev/null 2>&1 || die "python3 is missing (Debian: apt-get install python3 python3-venv)"
for f in "$@"; do [ -f "$f" ] || die "no requirements file $f"; done
key=$( { python3 -c 'import sys; print("python=%d.%d" % sys.version_info[:2])'; cat "$@"; } | sha256sum | cut -c1-16)
venv=$cache/$key
mkdir -p "$cache"
# One install at a time per cache (a second caller waits, then finds the venv complete).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/.install.lock"
  flock 9
fi
if [ ! -f "$venv/.complete" ]; then
  t=$SECONDS
  echo "cached-venv: making $venv" >&2
  rm -rf "$venv"
  if ! python3 -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      die "python3 -m venv failed; install python3-venv (Debian: apt-get install python3-venv)"
    fi
    echo "cached-venv: python3 -m venv failed; installing Debian's python3-venv" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null; }
    python3 -m venv "$venv"
  fi
  requirements=()
  for f in "$@"; do requirements+=(-r "$f"); done
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes "${requirements[@]}" >&2
  touch "$venv/.complete"
  find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name "$key" -exec rm -rf {} +
  echo "cached-venv: $venv ready in $((SECONDS - t)) s" >&2
fi
echo "$venv"
