#!/usr/bin/env bash
# The full test command (`npm test`, what .ci/run runs): static checks and unit tests, the crawler's tests
# against a real MariaDB, the console's unit tests, then everything a real deployment needs (bootstrap: engine,
# toolchain, images), every committed stack previewed with the policy pack, the Spark job tests in the Spark image, and the
# end-to-end tests that deploy the platform for real on the docker target,
# on a single-node swarm, on a swarm of three Docker-in-Docker hosts (test/swarm/multi-host.sh) and on a local
# three-node Kubernetes cluster (test/kubernetes/cluster.sh, built from the package registries and cached).
set -euo pipefail
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
start=$SECONDS
step() { echo; echo "===== $1 ($((SECONDS - start))s since start)"; }

step "static checks (ESLint, Prettier, knip, shellcheck, actionlint, Ruff)"
npm run lint

step "unit tests"
npm run test:unit

step "crawler tests"
(cd crawler && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } && npm test)

step "console unit tests (pytest, fakes for every backend)"
bash console/test/run.sh -q

step "bootstrap (docker engine + swarm, Pulumi toolchain, images)"
bash scripts/bootstrap.sh --swarm
# shellcheck source=SCRIPTDIR/../bootstrap/pulumi/env.sh
source bootstrap/pulumi/env.sh

step "policy pack: every committed stack previewed with it, bad stacks rejected"
bash scripts/policy-preview.sh

step "Spark job tests (real PySpark in the Spark image)"
bash test/jobs/run.sh

step "end-to-end tests (Debian's Chromium for the console's browser test first)"
bash bootstrap/browser/install.sh >/dev/null
npx jest --selectProjects e2e --runInBand

step "all tests passed in $((SECONDS - start))s"
