#!/usr/bin/env bash
# `npm run bench` (platform: bench/platform-bench.ts) and `npm run bench:spark` (the Table 6 benchmark job:
# bench/spark-bench.ts) measure the dev stack on this machine after bootstrapping.
set -euo pipefail
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bash scripts/bootstrap.sh
# shellcheck source=SCRIPTDIR/../bootstrap/pulumi/env.sh
source bootstrap/pulumi/env.sh
case "${1:-platform}" in
  platform) npx ts-node --transpile-only bench/platform-bench.ts ;;
  spark) npx ts-node --transpile-only bench/spark-bench.ts ;;
  *) echo "usage: scripts/bench.sh [platform|spark]" >&2; exit 2 ;;
esac
