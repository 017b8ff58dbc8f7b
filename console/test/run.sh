#!/usr/bin/env bash
# The console's unit tests (pytest, fakes for every backend; about 5 s):
#
#   console/test/run.sh [PYTEST ARGS...]
#
# They run in a venv made from console/requirements.txt and requirements-test.txt (pinned, hash-checked) with the
# machine's pip configuration, cached in ${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform/console-venv/<key>
# (bootstrap/python/cached-venv.sh: the key is the hash of both files and the Python version; a second run reuses
# it, a changed pin makes a new one and removes the old). The integration test against real Kafka and Connect containers is test/integration.sh.
set -euo pipefail
console=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform/console-venv"

command -v python3 >/dev/null 2>&1 || { echo "console tests: python3 is missing (Debian: apt-get install python3 python3-venv)" >&2; exit 1; }
pyver=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ "$pyver" != "3.11" ]; then
  # the pinned wheels with compiled parts (confluent-kafka, pydantic-core, markupsafe) are CPython 3.11's,
  # the Python of Debian bookworm that the image runs
  echo "console tests: python3 is $pyver; the console's pinned wheels are for Python 3.11 (Debian bookworm's)" >&2
  exit 1
fi
venv=$(bash "$console/../bootstrap/python/cached-venv.sh" "$cache" "$console/requirements.txt" "$console/requirements-test.txt" | tail -n 1)

cd "$console"
exec "$venv/bin/python" -m pytest -p no:cacheprovider "$@"
