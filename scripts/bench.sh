#!/usr/bin/env bash
# `npm run bench`: measures the dev stack on this machine (see bench/platform-bench.ts) after bootstrapping.
set -euo pipefail
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bash scripts/bootstrap.sh
# shellcheck source=../bootstrap/pulumi/env.sh
source bootstrap/pulumi/env.sh
npx ts-node --transpile-only bench/platform-bench.ts
