#!/usr/bin/env bash
# Builds the Pulumi toolchain from source (Go module proxy), caches it, and
# prints the bin dir to put on PATH as the LAST line of stdout:
#
#   export PATH="$(bootstrap/pulumi/install.sh | tail -1):$PATH"
#   # or: source bootstrap/pulumi/env.sh (after one install.sh run)
#
# Components (versions read from the repo's package.json at run time):
#   pulumi                        CLI, = @pulumi/pulumi            wrappers/pulumi
#   pulumi-language-nodejs        Node.js language host            wrappers/pulumi-language-nodejs
#   pulumi-resource-pulumi-nodejs dynamic-provider host (a script shipped in the Node SDK)
#   pulumi-resource-random        = @pulumi/random                 wrappers/pulumi-resource-random
#   pulumi-resource-docker        = @pulumi/docker                 wrappers/pulumi-resource-docker
#                                   (the upstream Terraform provider bridged here: see README.md)
#   pulumi-resource-kubernetes    = @pulumi/kubernetes             wrappers/pulumi-resource-kubernetes
#                                   (its embedded schema is generated here at build time)
#   (@pulumi/command is not used: its provider cannot be built from the module proxy reachable here;
#    see README.md)
#
# Each wrapper is a small Go module committed with its go.sum; `go build` runs
# in -mod=readonly mode, so every module is verified against that go.sum. The
# Go proxy and checksum settings are the machine's own (`go env`).
#
# Cache: ${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}/pulumi/
#   <component>-<version>-<wrapper hash>/   one dir per build (skipped when its binary exists)
#   logs/<component>-<version>-<hash>.log    go build logs (tail printed on failure)
#   bin/                                     pulumi, pulumi-language-nodejs, pulumi-resource-pulumi-nodejs
#                                            (hard links; the dir printed last, to put on PATH)
#   plugins/                                 symlinks to the provider plugins, which are also
#                                            registered in $PULUMI_HOME/plugins (pulumi plugin install --file)
#
# Options (environment):
#   PULUMI_INSTALL_SKIP_REGISTER=1  do not register provider plugins in $PULUMI_HOME (puts them on PATH instead)
#   PULUMI_INSTALL_PROVIDERS_ON_PATH=1  also link provider plugins into bin/ (the CLI warns per run)
#   PULUMI_INSTALL_STRICT=1         fail when an optional provider is unavailable
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/../.." && pwd)
WRAPPERS=$SCRIPT_DIR/wrappers
PACKAGE_JSON=$REPO_ROOT/package.json

CACHE_ROOT=${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}/pulumi
BIN_DIR=$CACHE_ROOT/bin
LOG_DIR=$CACHE_ROOT/logs
PLUGIN_DIR=$CACHE_ROOT/plugins
# Also put the provider plugins on PATH (the CLI then warns "using ... from $PATH"
# on every run); implied when registration in the plugin cache is skipped.
PROVIDERS_ON_PATH=${PULUMI_INSTALL_PROVIDERS_ON_PATH:-0}
[[ ${PULUMI_INSTALL_SKIP_REGISTER:-0} == 1 ]] && PROVIDERS_ON_PATH=1

log() { printf '[pulumi-install] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

now() { date +%s.%N; }
# elapsed START -> "12.3s"
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1fs", e - s }'; }

T_ALL=$(now)

command -v go >/dev/null 2>&1 || die "go is not installed (needed to build the Pulumi toolchain)"
command -v node >/dev/null 2>&1 || die "node is not installed (needed to read package.json and to run Pulumi programs)"
[[ -f $PACKAGE_JSON ]] || die "no package.json at $PACKAGE_JSON"

mkdir -p "$CACHE_ROOT" "$BIN_DIR" "$LOG_DIR" "$PLUGIN_DIR"

# One install at a time per cache (a second caller waits, then finds everything built).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_ROOT/.install.lock"
  flock 9
fi

# --- versions from package.json -------------------------------------------------
# One node run prints the exact pins of the packages whose plugins we build.
T=$(now)
# shellcheck disable=SC2016 # the JavaScript is meant to be single-quoted
read -r PULUMI_VERSION RANDOM_VERSION DOCKER_VERSION KUBERNETES_VERSION < <(
  node -e '
    const pkg = require(process.argv[1]);
    const deps = { ...(pkg.devDependencies || {}), ...(pkg.dependencies || {}) };
    const out = [];
    for (const name of process.argv.slice(2)) {
      const v = deps[name];
      if (!v) { console.error(`${name} is not a dependency in ${process.argv[1]}`); process.exit(2); }
      if (!/^\d+\.\d+\.\d+$/.test(v)) { console.error(`${name}: "${v}" is not an exact version pin`); process.exit(2); }
      out.push(v);
    }
    console.log(out.join(" "));
  ' "$PACKAGE_JSON" @pulumi/pulumi @pulumi/random @pulumi/docker @pulumi/kubernetes
) || die "cannot read the pinned versions from $PACKAGE_JSON"
[[ -n ${KUBERNETES_VERSION:-} ]] || die "cannot read the pinned versions from $PACKAGE_JSON"
log "versions: pulumi=$PULUMI_VERSION random=$RANDOM_VERSION docker=$DOCKER_VERSION kubernetes=$KUBERNETES_VERSION ($(elapsed "$T"))"

# The language host's own Go module is only reachable on the proxy at an
# earlier commit of pulumi/pulumi (see README.md); it is built against the
# pkg/sdk release it was written for, and reports that release as its version.
LANGUAGE_HOST_VERSION=3.188.0

# --- helpers ---------------------------------------------------------------------
wrapper_hash() { # wrapper_hash DIR [PREPARE]: a short hash of a wrapper's sources (and of the
  # function that generates files into it), so edits rebuild
  {
    (cd "$1" && find . -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 |
      LC_ALL=C sort -z | xargs -0 sha256sum)
    [[ -z ${2:-} ]] || declare -f "$2"
  } | sha256sum | cut -c1-10
}

# The CLI, the language host and the dynamic-provider host are HARD links in
# bin/ (a copy when the cache spans file systems): the CLI treats language hosts
# found next to its own resolved path as "bundled" and uses them silently, while
# for a symlinked CLI it prints "using ... from $PATH" on every run.
link_bin() { # link_bin NAME TARGET
  [[ $BIN_DIR/$1 -ef $2 ]] && return 0 # already this very file
  rm -f "$BIN_DIR/$1.tmp.$$"
  ln "$2" "$BIN_DIR/$1.tmp.$$" 2>/dev/null || cp -f "$2" "$BIN_DIR/$1.tmp.$$"
  mv -fT "$BIN_DIR/$1.tmp.$$" "$BIN_DIR/$1"
}
# Provider plugins are symlinked into plugins/ and registered in the CLI's plugin
# cache (step 5), which the CLI reads without a warning; see PROVIDERS_ON_PATH.
link_plugin() { # link_plugin NAME TARGET
  ln -sfn "$2" "$PLUGIN_DIR/$1.tmp.$$"
  mv -fT "$PLUGIN_DIR/$1.tmp.$$" "$PLUGIN_DIR/$1"
  if [[ $PROVIDERS_ON_PATH == 1 ]]; then
    ln -sfn "$2" "$BIN_DIR/$1.tmp.$$" && mv -fT "$BIN_DIR/$1.tmp.$$" "$BIN_DIR/$1"
  else
    rm -f "$BIN_DIR/$1"
  fi
}

# build_go COMPONENT VERSION WRAPPER_DIR GO_PACKAGE LDFLAGS [LINKER] [PREPARE]
# Builds into $CACHE_ROOT/COMPONENT-VERSION-HASH/COMPONENT unless it is there,
# then links it with LINKER (link_bin or link_plugin). With PREPARE, the build
# runs in a copy of the wrapper, after `PREPARE COPY_DIR VERSION` has written
# the files the wrapper embeds (the repo stays free of generated files).
build_go() {
  local comp=$1 version=$2 wdir=$3 pkg=$4 ldflags=$5 linker=${6:-link_bin} prepare=${7:-}
  local hash dir out logf t
  hash=$(wrapper_hash "$wdir" "$prepare")
  dir=$CACHE_ROOT/$comp-$version-$hash
  out=$dir/$comp
  logf=$LOG_DIR/$comp-$version-$hash.log
  t=$(now)
  if [[ -x $out ]]; then
    log "$comp $version: cached ($dir) ($(elapsed "$t"))"
  else
    log "$comp $version: building $pkg (log: $logf) ..."
    local tmp=$dir.tmp.$$
    rm -rf "$tmp" && mkdir -p "$tmp"
    local src=$wdir
    if [[ -n $prepare ]]; then
      src=$tmp/src
      cp -R "$wdir" "$src"
    fi
    if ! (
      cd "$src"
      {
        echo "# $(date -u +%FT%TZ) $comp $version ($pkg) in $wdir"
        echo "# $(go version)"
        if [[ -n $prepare ]]; then "$prepare" "$src" "$version" || exit 1; fi
        GOFLAGS="$(go env GOFLAGS | sed 's/-mod=[^ ]*//g') -mod=readonly" \
          go build -trimpath -ldflags "-s -w $ldflags" -o "$tmp/$comp" "$pkg"
      } >"$logf" 2>&1
    ); then
      log "$comp $version: go build FAILED after $(elapsed "$t"); last lines of $logf:"
      tail -n 40 "$logf" >&2 || true
      rm -rf "$tmp"
      return 1
    fi
    rm -rf "$tmp/src" "$dir" && mv "$tmp" "$dir"
    log "$comp $version: built in $(elapsed "$t")"
  fi
  "$linker" "$comp" "$out"
}

# --- 1. CLI --------------------------------------------------------------------
build_go pulumi "$PULUMI_VERSION" "$WRAPPERS/pulumi" \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"

# --- 2. Node.js language host ------------------------------------------------------
build_go pulumi-language-nodejs "$LANGUAGE_HOST_VERSION" "$WRAPPERS/pulumi-language-nodejs" \
  github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$LANGUAGE_HOST_VERSION"

# --- 3. dynamic-provider host (a script from the Node SDK) --------------------------
T=$(now)
install_sdk_script() { # NAME: copy the SDK's launcher script into the cache
  local name=$1 dir=$CACHE_ROOT/$1-$PULUMI_VERSION src=""
  if [[ ! -x $dir/$name ]]; then
    # The npm package (when the repo's node_modules is installed) ...
    if [[ -f $REPO_ROOT/node_modules/@pulumi/pulumi/$name ]] &&
      [[ $(node -p 'require(process.argv[1]).version' "$REPO_ROOT/node_modules/@pulumi/pulumi/package.json") == "$PULUMI_VERSION" ]]; then
      src=$REPO_ROOT/node_modules/@pulumi/pulumi/$name
    else
      # ... else the same file from the Go SDK module (sdk/nodejs/dist), already pinned by the CLI's go.sum.
      local sdkdir
      sdkdir=$(cd "$WRAPPERS/pulumi" && GOFLAGS=-mod=readonly go mod download -json "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" |
        node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.Dir)})')
      src=$sdkdir/nodejs/dist/$name
    fi
    [[ -f $src ]] || die "$name not found (looked in node_modules/@pulumi/pulumi and the Go SDK module)"
    mkdir -p "$dir.tmp.$$"
    install -m 0755 "$src" "$dir.tmp.$$/$name"
    rm -rf "$dir" && mv "$dir.tmp.$$" "$dir"
    log "$name $PULUMI_VERSION: installed from $src"
  fi
  link_bin "$name" "$dir/$name"
}
install_sdk_script pulumi-resource-pulumi-nodejs
log "pulumi-resource-pulumi-nodejs: ready ($(elapsed "$T"))"
# pulumi-analyzer-policy is only needed for policy packs, which this project does not use.

# --- 4. resource providers -----------------------------------------------------------
MISSING=() FAILED=()
provider() { # provider NAME VERSION [GO_PACKAGE [EXTRA_LDFLAGS [PREPARE]]]
  local name=$1 version=$2 pkg=${3:-.} extra_ldflags=${4:-} prepare=${5:-}
  local wdir=$WRAPPERS/pulumi-resource-$name
  if [[ ! -f $wdir/go.mod || ! -f $wdir/go.sum ]]; then
    log "pulumi-resource-$name $version: UNAVAILABLE - its Go module is not on the module proxy (see bootstrap/pulumi/README.md)"
    MISSING+=("$name")
    [[ ${PULUMI_INSTALL_STRICT:-0} == 1 ]] && die "pulumi-resource-$name is unavailable"
    return 0
  fi
  if ! build_go "pulumi-resource-$name" "$version" "$wdir" "$pkg" "-X main.version=$version $extra_ldflags" \
    link_plugin "$prepare"; then
    # Never leave an older build linked or registered as if it were this one.
    rm -f "$PLUGIN_DIR/pulumi-resource-$name" "$BIN_DIR/pulumi-resource-$name"
    local plugin_home=${PULUMI_HOME:-$HOME/.pulumi}/plugins
    if [[ -f $plugin_home/.bigdata-platform-resource-$name-v$version ]]; then
      PULUMI_SKIP_UPDATE_CHECK=true "$BIN_DIR/pulumi" plugin rm resource "$name" "$version" --yes >&2 || true
      rm -f "$plugin_home/.bigdata-platform-resource-$name-v$version"
    fi
    FAILED+=("$name")
    [[ ${PULUMI_INSTALL_STRICT:-0} == 1 ]] && die "pulumi-resource-$name failed to build"
  fi
  return 0
}
# kubernetes_embeds DIR VERSION: the two files wrappers/pulumi-resource-kubernetes embeds, made
# as upstream's `go generate` step does: the provider module's schema.json with "version" set,
# and its terraform-mapping.json, compacted. The module is the one the wrapper's go.sum pins.
kubernetes_embeds() {
  local moddir
  moddir=$(cd "$1" && GOFLAGS=-mod=readonly go mod download -json github.com/pulumi/pulumi-kubernetes/provider/v4 |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.Dir)})') || return 1
  # shellcheck disable=SC2016 # the JavaScript is meant to be single-quoted
  node -e '
    const fs = require("fs");
    const [from, version, to] = process.argv.slice(1);
    const schema = JSON.parse(fs.readFileSync(`${from}/schema.json`, "utf8"));
    schema.version = version;
    fs.writeFileSync(`${to}/schema-embed.json`, JSON.stringify(schema));
    const mapping = JSON.parse(fs.readFileSync(`${from}/terraform-mapping.json`, "utf8"));
    fs.writeFileSync(`${to}/terraform-mapping-embed.json`, JSON.stringify(mapping));
  ' "$moddir/cmd/pulumi-resource-kubernetes" "$2" "$1"
}

provider random "$RANDOM_VERSION"
provider docker "$DOCKER_VERSION"
# Large (cold: 36-66 min, 4.6 GB peak; see README.md): built last. Its version also goes into the User-Agent.
provider kubernetes "$KUBERNETES_VERSION" . \
  "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$KUBERNETES_VERSION" kubernetes_embeds

# --- 5. register providers with the CLI ------------------------------------------------
# `pulumi plugin install resource NAME VERSION --file BIN` copies each provider
# into the plugin cache ($PULUMI_HOME/plugins), where the CLI finds it with
# PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true and without a warning. (A
# provider on PATH is found too, with a "using ... from $PATH" warning per run.)
T=$(now)
if [[ ${PULUMI_INSTALL_SKIP_REGISTER:-0} != 1 ]]; then
  plugin_home=${PULUMI_HOME:-$HOME/.pulumi}/plugins
  for pair in "random:$RANDOM_VERSION" "docker:$DOCKER_VERSION" "kubernetes:$KUBERNETES_VERSION"; do
    name=${pair%%:*} version=${pair#*:}
    bin=$PLUGIN_DIR/pulumi-resource-$name
    [[ -x $bin ]] || continue
    target=$(readlink -f "$bin")
    marker=$plugin_home/.bigdata-platform-resource-$name-v$version
    if [[ -f $marker && $(cat "$marker") == "$target" && -d $plugin_home/resource-$name-v$version ]]; then
      continue
    fi
    PULUMI_SKIP_UPDATE_CHECK=true "$BIN_DIR/pulumi" plugin install resource "$name" "$version" --file "$target" --reinstall >&2
    printf '%s\n' "$target" >"$marker"
    log "registered resource plugin $name $version in $plugin_home"
  done
fi
log "plugin registration: $(elapsed "$T")"

# --- summary ----------------------------------------------------------------------------
"$BIN_DIR/pulumi" version >/dev/null || die "the installed pulumi CLI does not run"
if ((${#MISSING[@]})); then
  log "providers not available: ${MISSING[*]} (programs using them cannot run with this toolchain yet)"
fi
if ((${#FAILED[@]})); then
  log "ERROR: providers that failed to build: ${FAILED[*]} (see the log tails above)"
  log "finished with errors in $(elapsed "$T_ALL"); bin dir:"
  printf '%s\n' "$BIN_DIR"
  exit 1
fi
log "done in $(elapsed "$T_ALL"); bin dir:"
printf '%s\n' "$BIN_DIR"
