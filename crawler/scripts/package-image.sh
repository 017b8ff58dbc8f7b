#!/usr/bin/env bash
# Assembles build/image/: everything the Docker image contains (compiled JS, the schema file, production
# dependencies only). It runs on the host because package registries are reached with the host's own npm
# configuration (certificates included), which a build container does not have; the Dockerfile then only copies.
# The dependencies are plain JavaScript (no native modules), so a host on Node 20 packages them for Node 18.
set -euo pipefail
cd "$(dirname "$0")/.."

rm -rf dist build/image
npx tsc -p tsconfig.build.json
mkdir -p build/image/dist
cp package.json package-lock.json build/image/
cp -r dist/src dist/fixtures build/image/dist/
cp -r schema build/image/
find build/image/dist -name '*.map' -delete
# Exactly the locked versions, production dependencies only, no install scripts.
(cd build/image && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
echo "build/image ready: $(du -sh build/image | cut -f1)"
