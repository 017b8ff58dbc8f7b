#!/usr/bin/env bash
# Runs the Spark job tests (test/jobs) inside the local Spark image, which has Java 17, python3 and pyspark:
#   bash test/jobs/run.sh [pytest args...]
# The repo is mounted read-only; everything the tests write goes to the container's /tmp and disappears with it.
# pytest comes from wheels that this host's pip downloads once (with the machine's own pip configuration) into a
# cache outside the repo, installed into a throwaway directory beside the image's pyspark venv. If the wheels cannot
# be had, the same tests run under `python3 -m unittest` and this script prints a plain "N passed, N failed" line.
# Bounded: the container is killed after JOB_TESTS_TIMEOUT seconds (default 900). Exits non-zero on any failure.
# Env: SPARK_IMAGE (default bigdata-local/spark:<SPARK_VERSION from images/versions.env>), JOB_TESTS_TIMEOUT,
#      JOB_TESTS_WHEELS (the wheel cache directory).
set -euo pipefail
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"

spark_version=$(sed -n 's/^SPARK_VERSION=//p' images/versions.env)
image=${SPARK_IMAGE:-bigdata-local/spark:$spark_version}
limit=${JOB_TESTS_TIMEOUT:-900}
wheels=${JOB_TESTS_WHEELS:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform/job-test-wheels}
requirements=test/jobs/requirements.txt

command -v docker >/dev/null || { echo "test/jobs/run.sh: docker is not installed (run scripts/bootstrap.sh)" >&2; exit 1; }
docker image inspect "$image" >/dev/null 2>&1 \
  || { echo "test/jobs/run.sh: image $image is missing (build it: bash bootstrap/docker/images.sh spark)" >&2; exit 1; }

# pytest wheels, once per requirements file (the stamp records which one they were downloaded for)
runner=unittest
stamp="$wheels/.requirements.sha256"
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  runner=pytest
else
  pip=(python3 -m pip)
  "${pip[@]}" --version >/dev/null 2>&1 || pip=(pip3)
  mkdir -p "$wheels" && rm -f "$wheels"/*.whl
  # for the image's Python, whatever this host's is
  py=$(docker run --rm --entrypoint python3 "$image" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  if "${pip[@]}" download --quiet --disable-pip-version-check --only-binary=:all: --python-version "$py" \
       --dest "$wheels" -r "$requirements" >"$wheels/.download.log" 2>&1; then
    echo "$want" >"$stamp"
    runner=pytest
  else
    echo "test/jobs/run.sh: could not download pytest (see $wheels/.download.log); running the tests with unittest" >&2
  fi
fi

name="weather-job-tests-$$"
# shellcheck disable=SC2317 # reached through the EXIT trap, which shellcheck 0.9 does not see here
cleanup() { docker rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT

# inside: pytest from the mounted wheels into a throwaway directory on the image's Python (whose venv has pyspark)
# shellcheck disable=SC2016 # expanded by the container's sh (RUNNER and "$@" are its own), not here
inner='
set -eu
cd /tmp
export PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=/repo/test/jobs
if [ "$RUNNER" = pytest ]; then
  python3 -m pip install --quiet --no-index --find-links /wheels --disable-pip-version-check --target /tmp/pytest-libs \
    -r /repo/test/jobs/requirements.txt
  export PYTHONPATH=/tmp/pytest-libs:$PYTHONPATH
  exec python3 -m pytest -p no:cacheprovider -q -o console_output_style=classic /repo/test/jobs "$@"
fi
exec python3 /repo/test/jobs/unittest_run.py
'
start=$SECONDS
set +e
timeout --kill-after=20 "$limit" docker run --rm --name "$name" --cpus 2 --memory 3g \
  -u "$(id -u):$(id -g)" -e HOME=/tmp -e RUNNER="$runner" \
  -v "$repo":/repo:ro -v "$wheels":/wheels:ro \
  --entrypoint sh "$image" -c "$inner" sh "$@"
rc=$?
set -e
[ $rc -ne 124 ] && [ $rc -ne 137 ] || echo "test/jobs/run.sh: timed out after ${limit}s" >&2
echo "test/jobs/run.sh: exit $rc in $((SECONDS - start))s ($runner, image $image)"
exit $rc
