#!/usr/bin/env bash
# Installs the policy pack's own packages (policy/ is a package of its own) when they are missing; then instant.
# Run by npm run test:unit, scripts/policy-preview.sh and scripts/pipeline.sh.
set -euo pipefail
cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../policy"
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
