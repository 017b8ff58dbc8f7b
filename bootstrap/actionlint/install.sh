#!/usr/bin/env bash
# Builds actionlint (the GitHub Actions workflow linter) from the Go module proxy, caches it, and prints the
# binary's path as the LAST line of stdout:
#
#   actionlint=$(bootstrap/actionlint/install.sh | tail -1)
#
# Version: the wrapper's go.mod (wrapper/, committed with its go.sum) pins github.com/rhysd/actionlint; the build
# runs with -mod=readonly, so every module is verified against that go.sum. The Go proxy and checksum settings are
# the machine's own (`go env`). scripts/lint.sh runs it on .github/workflows/.
#
# Cache: ${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}/actionlint/
#   actionlint-<version>-<wrapper hash>/actionlint   one dir per build (skipped when the binary exists)
#   logs/actionlint-<version>-<hash>.log             build log (tail printed on failure), with the build's time
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
WRAPPER=$SCRIPT_DIR/wrapper
CACHE_ROOT=${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}/actionlint
LOG_DIR=$CACHE_ROOT/logs
VERSION=v1.7.12

log() { printf '[actionlint-install] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1fs", e - s }'; }

command -v go >/dev/null 2>&1 || die "go is not installed (needed to build actionlint from the Go module proxy)"
# One source of truth for the version: the wrapper's go.mod must require what this script names.
grep -Eq "^require github.com/rhysd/actionlint $VERSION( |\$)" "$WRAPPER/go.mod" ||
  die "wrapper/go.mod does not require github.com/rhysd/actionlint $VERSION"
mkdir -p "$CACHE_ROOT" "$LOG_DIR"

# One build at a time per cache (a second caller waits, then finds the binary built).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_ROOT/.install.lock"
  flock 9
fi

hash=$( (cd "$WRAPPER" && find . -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 |
  LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-10)
dir=$CACHE_ROOT/actionlint-$VERSION-$hash
logf=$LOG_DIR/actionlint-$VERSION-$hash.log
t=$(now)
if [ -x "$dir/actionlint" ]; then
  log "actionlint $VERSION: cached ($dir) ($(elapsed "$t"))"
else
  log "actionlint $VERSION: building (log: $logf) ..."
  rm -rf "$dir.tmp"
  mkdir -p "$dir.tmp"
  # The module is a dependency here, not the main module, so its version is set explicitly (else "(devel)").
  if ! (cd "$WRAPPER" && CGO_ENABLED=0 go build -mod=readonly -trimpath \
    -ldflags "-s -w -X github.com/rhysd/actionlint.version=$VERSION" \
    -o "$dir.tmp/actionlint" github.com/rhysd/actionlint/cmd/actionlint) >"$logf" 2>&1; then
    tail -n 40 "$logf" >&2
    die "go build failed (log: $logf)"
  fi
  rm -rf "$dir"
  mv "$dir.tmp" "$dir"
  echo "built in $(elapsed "$t")" >>"$logf"
  log "actionlint $VERSION: built in $(elapsed "$t") ($dir)"
fi
printf '%s\n' "$dir/actionlint"
