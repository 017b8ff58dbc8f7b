#!/usr/bin/env bash
# Builds the binaries of the local Kubernetes test cluster (test/kubernetes/cluster.sh) from the Go module
# proxy, caches them, and prints the bin dir as the LAST line of stdout:
#
#   export PATH="$(bootstrap/kubernetes/install.sh | tail -1):$PATH"    # kubectl on PATH
#
# Components (versions: the wrappers' go.mod files; K8S_VERSION below must match wrappers/kubernetes):
#   kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl
#                          k8s.io/kubernetes, ONE `go build` (shared packages compile once)  wrappers/kubernetes
#   coredns                the cluster DNS, only the plugins it needs                         wrappers/coredns
#   local-path-provisioner the StorageClass's provisioner (rancher, shared-filesystem mode)   wrappers/local-path-provisioner
#   pause                  the pod sandbox: build/pause/linux/pause.c from the k8s.io/kubernetes module zip,
#                          compiled statically with the machine's C compiler
# Each wrapper is a small Go module committed with its go.sum; builds run with -mod=readonly, so every module
# is verified against it. The Go proxy and checksum settings are the machine's own (`go env`).
#
# Cache: ${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}/kubernetes/
#   <component>-<version>-<wrapper hash>/   one dir per build (skipped when its binaries exist)
#   logs/<component>-<version>-<hash>.log    build logs (tail printed on failure), with the build's time
#   bin/                                     every binary (hard links; the dir printed last)
#   images/k8s-node/bin/                     what bootstrap/docker/images.sh copies into bigdata-local/k8s-node
#   images/k8s-pause/pause                   ... into bigdata-local/k8s-pause
#   images/k8s-coredns/coredns               ... into bigdata-local/k8s-coredns
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
WRAPPERS=$SCRIPT_DIR/wrappers
CACHE_ROOT=${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}/kubernetes
BIN_DIR=$CACHE_ROOT/bin
LOG_DIR=$CACHE_ROOT/logs
IMG_DIR=$CACHE_ROOT/images

K8S_VERSION=v1.36.3
COREDNS_VERSION=v1.15.0
LPP_VERSION=v0.0.30
K8S_COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)

log() { printf '[k8s-install] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1fs", e - s }'; }

T_ALL=$(now)
command -v go >/dev/null 2>&1 || die "go is not installed (needed to build the Kubernetes binaries)"
mkdir -p "$CACHE_ROOT" "$BIN_DIR" "$LOG_DIR" "$IMG_DIR"

# One install at a time per cache (a second caller waits, then finds everything built).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_ROOT/.install.lock"
  flock 9
fi

# The wrappers must pin the versions this script names (one source of truth per component: the go.mod).
grep -Eq "^require k8s.io/kubernetes $K8S_VERSION( |\$)" "$WRAPPERS/kubernetes/go.mod" ||
  die "wrappers/kubernetes/go.mod does not require k8s.io/kubernetes $K8S_VERSION"
grep -Eq "^require github.com/coredns/coredns $COREDNS_VERSION( |\$)" "$WRAPPERS/coredns/go.mod" ||
  die "wrappers/coredns/go.mod does not require coredns $COREDNS_VERSION"
grep -Eq "^require github.com/rancher/local-path-provisioner $LPP_VERSION( |\$)" "$WRAPPERS/local-path-provisioner/go.mod" ||
  die "wrappers/local-path-provisioner/go.mod does not require local-path-provisioner $LPP_VERSION"

wrapper_hash() { # wrapper_hash DIR [EXTRA...]: a short hash of a wrapper's sources and of the build's settings
  {
    (cd "$1" && find . -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 |
      LC_ALL=C sort -z | xargs -0 sha256sum)
    shift
    [ $# -eq 0 ] || printf '%s\n' "$@"
  } | sha256sum | cut -c1-10
}

# build_go NAME VERSION WRAPPER_DIR LDFLAGS OUTPUT... -- PACKAGE...
# Builds every PACKAGE in one `go build -o DIR` into $CACHE_ROOT/NAME-VERSION-HASH/ unless all OUTPUTs are
# there; prints that dir.
build_go() {
  local name=$1 version=$2 wdir=$3 ldflags=$4 hash dir logf t o missing=0 outputs=() pkgs=()
  shift 4
  while [ $# -gt 0 ] && [ "$1" != -- ]; do outputs+=("$1"); shift; done
  shift
  pkgs=("$@")
  hash=$(wrapper_hash "$wdir")
  dir=$CACHE_ROOT/$name-$version-$hash
  logf=$LOG_DIR/$name-$version-$hash.log
  for o in "${outputs[@]}"; do [ -x "$dir/$o" ] || missing=1; done
  t=$(now)
  if [ "$missing" -eq 0 ]; then
    log "$name $version: cached ($dir) ($(elapsed "$t"))"
  else
    log "$name $version: building ${pkgs[*]} (log: $logf) ..."
    rm -rf "$dir.tmp"
    mkdir -p "$dir.tmp"
    if ! (cd "$wdir" && CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "$ldflags" -o "$dir.tmp/" "${pkgs[@]}") >"$logf" 2>&1; then
      tail -n 40 "$logf" >&2
      die "$name: go build failed (log: $logf)"
    fi
    rm -rf "$dir"
    mv "$dir.tmp" "$dir"
    echo "built in $(elapsed "$t")" >>"$logf"
    log "$name $version: built in $(elapsed "$t") ($dir)"
  fi
  printf '%s\n' "$dir"
}

# Hard links (a copy when the cache spans file systems), replaced atomically.
link() { # link TARGET DEST
  [ "$2" -ef "$1" ] && return 0
  mkdir -p "$(dirname "$2")"
  rm -f "$2.tmp.$$"
  ln "$1" "$2.tmp.$$" 2>/dev/null || cp -f "$1" "$2.tmp.$$"
  mv -fT "$2.tmp.$$" "$2"
}

# --- 1. Kubernetes: the six components in one build ---------------------------------------------------------
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  minor=${K8S_VERSION#v1.}
  ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=${minor%%.*}"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
k8s_pkgs=()
for c in "${K8S_COMPONENTS[@]}"; do k8s_pkgs+=("k8s.io/kubernetes/cmd/$c"); done
k8s_dir=$(build_go kubernetes "$K8S_VERSION" "$WRAPPERS/kubernetes" "$ldflags" "${K8S_COMPONENTS[@]}" -- "${k8s_pkgs[@]}")

# --- 2. CoreDNS and the storage provisioner -----------------------------------------------------------------
coredns_dir=$(build_go coredns "$COREDNS_VERSION" "$WRAPPERS/coredns" "-s -w" coredns -- .)
lpp_dir=$(build_go local-path-provisioner "$LPP_VERSION" "$WRAPPERS/local-path-provisioner" "-s -w" \
  local-path-provisioner -- github.com/rancher/local-path-provisioner)

# --- 3. pause, from the k8s.io/kubernetes module zip --------------------------------------------------------
t=$(now)
mod_dir=$(cd "$WRAPPERS/kubernetes" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
pause_src=$mod_dir/build/pause/linux/pause.c
[ -f "$pause_src" ] || die "no $pause_src in the k8s.io/kubernetes $K8S_VERSION module"
PAUSE_VERSION=$(sed -n 's/^TAG ?= *//p' "$mod_dir/build/pause/Makefile")
[ -n "$PAUSE_VERSION" ] || die "cannot read the pause version from $mod_dir/build/pause/Makefile"
cc=${CC:-cc}
pause_hash=$( { sha256sum "$pause_src"; "$cc" --version | head -n1; } | sha256sum | cut -c1-10)
pause_dir=$CACHE_ROOT/pause-$PAUSE_VERSION-$pause_hash
if [ -x "$pause_dir/pause" ]; then
  log "pause $PAUSE_VERSION: cached ($pause_dir) ($(elapsed "$t"))"
else
  command -v "$cc" >/dev/null 2>&1 || die "no C compiler ($cc) for the pause binary (apt-get install gcc libc6-dev)"
  mkdir -p "$pause_dir.tmp"
  "$cc" -Os -Wall -Werror -static -DVERSION="v$PAUSE_VERSION-$K8S_VERSION" -o "$pause_dir.tmp/pause" "$pause_src" ||
    die "compiling $pause_src failed (a static build needs libc6-dev)"
  strip "$pause_dir.tmp/pause" 2>/dev/null || true
  rm -rf "$pause_dir"; mv "$pause_dir.tmp" "$pause_dir"
  log "pause $PAUSE_VERSION: built in $(elapsed "$t") ($pause_dir)"
fi

# --- 4. bin/ and the image build inputs ---------------------------------------------------------------------
for c in "${K8S_COMPONENTS[@]}"; do
  link "$k8s_dir/$c" "$BIN_DIR/$c"
  link "$k8s_dir/$c" "$IMG_DIR/k8s-node/bin/$c"
done
link "$lpp_dir/local-path-provisioner" "$BIN_DIR/local-path-provisioner"
link "$lpp_dir/local-path-provisioner" "$IMG_DIR/k8s-node/bin/local-path-provisioner"
link "$coredns_dir/coredns" "$BIN_DIR/coredns"
link "$coredns_dir/coredns" "$IMG_DIR/k8s-coredns/coredns"
link "$pause_dir/pause" "$BIN_DIR/pause"
link "$pause_dir/pause" "$IMG_DIR/k8s-pause/pause"
# The image tags' versions, for images.sh and cluster.sh.
cat >"$CACHE_ROOT/versions.env.tmp" <<EOF
K8S_VERSION=$K8S_VERSION
COREDNS_VERSION=$COREDNS_VERSION
LPP_VERSION=$LPP_VERSION
PAUSE_VERSION=$PAUSE_VERSION
EOF
mv -f "$CACHE_ROOT/versions.env.tmp" "$CACHE_ROOT/versions.env"

log "kubernetes $K8S_VERSION, coredns $COREDNS_VERSION, local-path-provisioner $LPP_VERSION, pause $PAUSE_VERSION ready in $(elapsed "$T_ALL")"
echo "$BIN_DIR"
