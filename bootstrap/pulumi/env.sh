# shellcheck shell=bash
# Source this file (do not execute it) to use the locally built Pulumi toolchain:
#
#   bootstrap/pulumi/install.sh >/dev/null   # once per machine; cached afterwards
#   source bootstrap/pulumi/env.sh
#
# It sets:
#   PATH                                       + the toolchain's bin dir (see install.sh)
#   PULUMI_SKIP_UPDATE_CHECK=true              no version check against the internet
#   PULUMI_NODEJS_TRANSPILE_ONLY=true          unless set: no type check per run (npm run test:unit does it)
#   PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
#                                              never try to download plugins; the ones we build are on PATH
#   PULUMI_CONFIG_PASSPHRASE                   only when unset: the DEVELOPMENT passphrase
#                                              "bigdata-dev-not-secret". It protects nothing and
#                                              is for local dev/CI stacks only; set your own for
#                                              any stack whose secrets matter (or set
#                                              PULUMI_CONFIG_PASSPHRASE_FILE, which is respected).
#   PULUMI_BACKEND_URL                         only when unset: file://<repo>/.pulumi-state
#                                              (a local file backend; the dir is git-ignored)
#
# Works when sourced from any directory; paths are derived from this file's location.

_bigdata_pulumi_env() {
  local here repo cache bindir
  here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]:-$0}")" && pwd)
  repo=$(cd -- "$here/../.." && pwd)
  cache=${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}/pulumi
  bindir=$cache/bin

  if [[ ! -x $bindir/pulumi ]]; then
    printf 'env.sh: %s has no pulumi yet; run %s first\n' "$bindir" "$here/install.sh" >&2
  fi
  case ":$PATH:" in
    *":$bindir:"*) ;;
    *) export PATH="$bindir:$PATH" ;;
  esac

  export PULUMI_SKIP_UPDATE_CHECK=true
  # The program is type-checked by `npm run test:unit` (tsc --noEmit); checking it again on every
  # preview would cost about 14 s of the preview's 25 s on our 2-core machines.
  export PULUMI_NODEJS_TRANSPILE_ONLY=${PULUMI_NODEJS_TRANSPILE_ONLY:-true}
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true

  if [[ -z ${PULUMI_CONFIG_PASSPHRASE+x} && -z ${PULUMI_CONFIG_PASSPHRASE_FILE:-} ]]; then
    # Development-only passphrase (documented above): not a secret.
    export PULUMI_CONFIG_PASSPHRASE=bigdata-dev-not-secret
  fi

  if [[ -z ${PULUMI_BACKEND_URL:-} ]]; then
    mkdir -p "$repo/.pulumi-state"
    export PULUMI_BACKEND_URL="file://$repo/.pulumi-state"
  fi
}
_bigdata_pulumi_env
unset -f _bigdata_pulumi_env
