#!/usr/bin/env bash
# Installs Ruff (bootstrap/ruff/requirements.txt: pinned, hash-checked) into a cached venv with the machine's own pip
# configuration, and prints the binary's path as the LAST line of stdout:
#
#   ruff=$(bootstrap/ruff/install.sh | tail -1)
#
# Cache: ${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}/ruff/<key>/ (bootstrap/python/cached-venv.sh).
# About 5 s once, then instant.
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
cache=${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}/ruff
venv=$(bash "$here/../python/cached-venv.sh" "$cache" "$here/requirements.txt" | tail -n 1)
echo "$venv/bin/ruff"
