#!/usr/bin/env bash
# Build the platform's container images locally, without any container registry (idempotent, incremental).
#
#   bootstrap/docker/images.sh [--force] [IMAGE...]
#
# IMAGE is one of: debian-base mariadb kafka kafka-connect spark crawler console (default: all of these; `default`
# names them too), or an image built only on request: notebook, swarm-node, k8s-node. The images an image is built
# FROM are checked/built first. --force rebuilds even when the inputs are unchanged.
#
# Tags (versions from images/versions.env):
#   bigdata-local/debian-base:$DEBIAN_SUITE    debootstrap --variant=minbase + docker import
#   bigdata-local/mariadb:$MARIADB_VERSION     Debian's mariadb-server, official mariadb image interface
#   bigdata-local/kafka:$KAFKA_VERSION         Kafka from Maven Central jars, official apache/kafka layout
#   bigdata-local/kafka-connect:$KAFKA_VERSION kafka + connect-file + Debezium MariaDB connector in plugin.path
#   bigdata-local/spark:$SPARK_VERSION         pyspark wheel + Spark's Kafka source jars, official apache/spark layout
#   bigdata-local/crawler:<crawler/package.json version>  the crawler service (crawler/Dockerfile), Debian's Node
#   bigdata-local/console:<console/bigdata_console/__init__.py __version__>  the web console (console/Dockerfile),
#                                              Debian's python3 + hash-pinned wheels (console/requirements.txt)
#   bigdata-local/notebook:$SPARK_VERSION      JupyterLab on the spark image (images/notebook, hash-pinned wheels in
#                                              its requirements.txt); for stacks with notebook.enabled (not by default)
#   bigdata-local/swarm-node:$DEBIAN_SUITE     Docker-in-Docker host for the multi-host swarm test (not by default)
#   bigdata-local/k8s-node:$DEBIAN_SUITE       Kubernetes host for the local k8s cluster test (not by default), with
#   bigdata-local/k8s-pause:<pause version>   its pod sandbox image and
#   bigdata-local/k8s-coredns:<version>       its cluster DNS; the binaries come from bootstrap/kubernetes/install.sh
#
# Incremental: each image gets the label bigdata.inputs-hash = sha256 of its build inputs (the files in
# images/<name>/, the build args, the ID of the image it is built FROM, the names and sizes of the downloaded
# artifacts). If an image with that tag already carries that hash, it is not built again ("cached").
#
# Where things come from (all read from THIS machine's configuration at run time, nothing is written in the repo):
#   Debian mirror  the machine's apt sources (/etc/apt/sources.list, /etc/apt/sources.list.d/*.list one-line
#                  and *.sources deb822 files); the base image's apt sources are the same entries
#   jars           `mvn` with the machine's Maven settings, per-image pom.xml
#   Python wheels  `python3 -m pip wheel` on this host with the machine's pip configuration (spark, console, notebook)
# Downloads and build contexts are cached in
#   ${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}   (build logs: logs/<image>.log)
#
# With a registry (optional): BIGDATA_BASE_IMAGE=debian:bookworm-slim builds mariadb/kafka/spark FROM it
# instead of the debootstrap base; BIGDATA_KAFKA_BASE_IMAGE=apache/kafka:<KAFKA_VERSION> builds kafka-connect
# FROM the official Kafka image. Missing base images are pulled.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
IMAGES_DIR="$REPO_ROOT/images"
CACHE_DIR="${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}"
LOG_DIR="$CACHE_DIR/logs"
PREFIX="bigdata-local"
LABEL_HASH="bigdata.inputs-hash"
ALL_IMAGES=(debian-base mariadb kafka kafka-connect spark crawler console)
# Build-context layout version: bump when the way contexts/artifacts are assembled changes.
CONTEXT_FORMAT=1

export DOCKER_BUILDKIT=0   # the classic builder: no buildx plugin needed, works with Debian's engine 20.10

FORCE=0
REQUESTED=()
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,40p' "$0"; exit 0 ;;
    default) REQUESTED+=("${ALL_IMAGES[@]}") ;;
    debian-base|mariadb|kafka|kafka-connect|spark|crawler|console|notebook|swarm-node|k8s-node) REQUESTED+=("$arg") ;;
    *) echo "images.sh: unknown argument: $arg (allowed: --force, default, ${ALL_IMAGES[*]}, notebook, swarm-node, k8s-node)" >&2; exit 2 ;;
  esac
done
[ ${#REQUESTED[@]} -gt 0 ] || REQUESTED=("${ALL_IMAGES[@]}")

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
log() { echo "[images] $*" >&2; }
die() { echo "images.sh: $*" >&2; exit 1; }
sha() { sha256sum | cut -c1-64; }

T_START=$(now)
mkdir -p "$CACHE_DIR" "$LOG_DIR"

docker info >/dev/null 2>&1 || die "no Docker engine answers; run bootstrap/docker/engine.sh first"

# ---------------------------------------------------------------------------------------------------------------
# Versions: images/versions.env is the single source; Dockerfile ARG defaults and pom properties must agree.
# ---------------------------------------------------------------------------------------------------------------
VERSION_KEYS=()
while IFS= read -r line; do
  [[ "$line" =~ ^([A-Z][A-Z0-9_]*)=([^[:space:]#]+)[[:space:]]*$ ]] || continue
  VERSION_KEYS+=("${BASH_REMATCH[1]}")
  printf -v "${BASH_REMATCH[1]}" '%s' "${BASH_REMATCH[2]}"
done < "$IMAGES_DIR/versions.env"

check_pins() {
  local key val prop f found bad=0
  for key in "${VERSION_KEYS[@]}"; do
    val="${!key}"
    prop="$(tr 'A-Z_' 'a-z.' <<<"$key")"
    for f in "$IMAGES_DIR"/*/Dockerfile; do
      while IFS= read -r found; do
        [ "$found" = "$val" ] || { echo "images.sh: ${f#"$REPO_ROOT"/}: ARG $key=$found, but images/versions.env says $val" >&2; bad=1; }
      done < <(sed -n "s/^ARG $key=\\([^[:space:]]*\\).*/\\1/p" "$f")
    done
    for f in "$IMAGES_DIR"/*/pom.xml; do
      while IFS= read -r found; do
        [ "$found" = "$val" ] || { echo "images.sh: ${f#"$REPO_ROOT"/}: <$prop>$found</$prop>, but images/versions.env says $val" >&2; bad=1; }
      done < <(sed -n "s|.*<$prop>\\([^<]*\\)</$prop>.*|\\1|p" "$f")
    done
  done
  found="$(sed -n "s|^ARG BASE_IMAGE=$PREFIX/kafka:\\(.*\\)|\\1|p" "$IMAGES_DIR/kafka-connect/Dockerfile")"
  [ -z "$found" ] || [ "$found" = "$KAFKA_VERSION" ] || { echo "images.sh: images/kafka-connect/Dockerfile: BASE_IMAGE tag $found, but KAFKA_VERSION is $KAFKA_VERSION" >&2; bad=1; }
  found="$(sed -n "s|^ARG BASE_IMAGE=$PREFIX/spark:\\(.*\\)|\\1|p" "$IMAGES_DIR/notebook/Dockerfile")"
  [ -z "$found" ] || [ "$found" = "$SPARK_VERSION" ] || { echo "images.sh: images/notebook/Dockerfile: BASE_IMAGE tag $found, but SPARK_VERSION is $SPARK_VERSION" >&2; bad=1; }
  [ "$bad" -eq 0 ] || die "pinned versions disagree (fix them to match images/versions.env)"
}
check_pins

TAG_BASE="$PREFIX/debian-base:$DEBIAN_SUITE"
TAG_MARIADB="$PREFIX/mariadb:$MARIADB_VERSION"
TAG_KAFKA="$PREFIX/kafka:$KAFKA_VERSION"
TAG_CONNECT="$PREFIX/kafka-connect:$KAFKA_VERSION"
TAG_SPARK="$PREFIX/spark:$SPARK_VERSION"
CRAWLER_VERSION="$(node -p 'require(process.argv[1]).version' "$REPO_ROOT/crawler/package.json")"
TAG_CRAWLER="$PREFIX/crawler:$CRAWLER_VERSION"
CONSOLE_VERSION="$(sed -n 's/^__version__ = "\([^"]*\)"$/\1/p' "$REPO_ROOT/console/bigdata_console/__init__.py")"
[ -n "$CONSOLE_VERSION" ] || die "console/bigdata_console/__init__.py has no __version__ = \"...\" line"
TAG_CONSOLE="$PREFIX/console:$CONSOLE_VERSION"
# The notebook runs the cluster's Spark (pyspark, jars, Python), so it carries the Spark version.
TAG_NOTEBOOK="$PREFIX/notebook:$SPARK_VERSION"

# ---------------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------------
SUMMARY=()
record() { # tag status seconds-string
  local size
  size="$(docker image inspect -f '{{.Size}}' "$1" 2>/dev/null | awk '{ printf "%.0fMB", $1 / 1000000 }')"
  SUMMARY+=("$(printf '%-38s %-8s %8s %8s' "$1" "$2" "$3" "${size:-?}")")
  log "$1: $2 in $3 (${size:-?})"
}

image_label() { docker image inspect -f "{{ index .Config.Labels \"$LABEL_HASH\" }}" "$1" 2>/dev/null || true; }
image_id() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }

# Drop the image a tag pointed to before a rebuild, if nothing else uses it (best effort).
drop_old_image() {
  local old="$1" new="$2"
  [ -n "$old" ] && [ "$old" != "$new" ] || return 0
  if [ "$(docker image inspect -f '{{len .RepoTags}}' "$old" 2>/dev/null || echo 1)" = "0" ]; then
    docker image rm "$old" >/dev/null 2>&1 || true
  fi
}

# Remove a directory tree safely: unmount anything still mounted below it (debootstrap mounts /proc, /sys and
# may bind /dev), never cross into another file system.
safe_rm_tree() {
  local dir="$1" m
  [ -e "$dir" ] || return 0
  dir="$(cd "$dir" && pwd -P)"
  while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done < <(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
  rm -rf --one-file-system "$dir"
}

# Files of a directory as "x|- sha256 path" lines (the content part of an inputs hash). Only the owner's execute
# bit counts, so checkouts with a different umask hash the same.
hash_tree() {
  (cd "$1" && find . -type f -printf '%P\n' | LC_ALL=C sort | while IFS= read -r path; do
    if [ -x "$path" ]; then x=x; else x=-; fi
    printf '%s %s %s\n' "$x" "$(sha256sum < "$path" | cut -c1-64)" "$path"
  done)
}
# Names and sizes of downloaded artifacts (released versions are immutable; hashing 500 MB each run is not needed).
list_tree() { (cd "$1" && find . -type f -printf '%P %s\n' | LC_ALL=C sort); }

# ---------------------------------------------------------------------------------------------------------------
# Debian mirror from the machine's apt sources
# ---------------------------------------------------------------------------------------------------------------
# Prints "URI SUITE COMPONENT..." for every enabled binary ("deb") source the machine's apt would use.
host_apt_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    awk '
      { sub(/#.*/, "") }
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }   # skip [ options ]
        if (i + 1 > NF) next
        line = $i; for (j = i + 1; j <= NF; j++) line = line " " $j
        print line
      }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    awk '
      function flush(   n, m, a, b, U, S) {
        if (types ~ /(^|[ \t])deb([ \t]|$)/ && tolower(enabled) != "no" && uris != "" && suites != "") {
          n = split(uris, U, /[ \t]+/); m = split(suites, S, /[ \t]+/)
          for (a = 1; a <= n; a++) for (b = 1; b <= m; b++) if (U[a] != "" && S[b] != "") print U[a], S[b], comps
        }
        types = uris = suites = comps = key = ""; enabled = "yes"
      }
      BEGIN { enabled = "yes" }
      /^#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ {                                   # continuation line (e.g. an inline Signed-By key)
        if (key == "uris") uris = uris " " $0; else if (key == "suites") suites = suites " " $0
        else if (key == "components") comps = comps " " $0; else if (key == "types") types = types " " $0
        next
      }
      {
        key = tolower(substr($0, 1, index($0, ":") - 1)); val = substr($0, index($0, ":") + 1)
        gsub(/^[ \t]+|[ \t]+$/, "", val)
        if (key == "types") types = val; else if (key == "uris") uris = val
        else if (key == "suites") suites = val; else if (key == "components") comps = val
        else if (key == "enabled") enabled = val
      }
      END { flush() }' "$f"
  done
}

# Entries for the target suite and its -updates/-security/... companions, deduplicated, as sources.list lines.
base_sources_list() {
  host_apt_sources | awk -v s="$DEBIAN_SUITE" '$2 == s || index($2, s "-") == 1 { $1 = $1; if (!seen[$0]++) print "deb " $0 }'
}

# ---------------------------------------------------------------------------------------------------------------
# debian-base
# ---------------------------------------------------------------------------------------------------------------
BASE_VARIANT=minbase
BASE_INCLUDE=ca-certificates
base_import_changes() {
  printf '%s\n' 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENV LANG=C.UTF-8' 'CMD ["bash"]'
}

make_base_tarball() { # tarball sources mirror components
  local tarball="$1" sources="$2" mirror="$3" components="$4" work rootfs t
  if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap (Debian package)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >>"$LOG_DIR/debian-base.log" 2>&1 || {
      apt-get update -q >>"$LOG_DIR/debian-base.log" 2>&1
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >>"$LOG_DIR/debian-base.log" 2>&1
    }
  fi
  work="$(mktemp -d "$CACHE_DIR/debian-base/work.XXXXXX")"
  rootfs="$work/rootfs"
  # shellcheck disable=SC2064
  trap "safe_rm_tree '$work'" EXIT
  t=$(now)
  log "debootstrap --variant=$BASE_VARIANT $DEBIAN_SUITE from the machine's mirror (log: $LOG_DIR/debian-base.log)"
  debootstrap --variant="$BASE_VARIANT" --include="$BASE_INCLUDE" --components="${components// /,}" \
    --arch="$(dpkg --print-architecture)" "$DEBIAN_SUITE" "$rootfs" "$mirror" >>"$LOG_DIR/debian-base.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/debian-base.log" >&2; die "debootstrap failed"; }
  log "debootstrap done in $(since "$t")"
  "$IMAGES_DIR/debian-base/customize-rootfs.sh" "$rootfs" <<<"$sources"
  # unmount anything debootstrap left mounted before archiving
  awk -v d="$rootfs/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do umount -l "$m" || true; done
  tar --numeric-owner --one-file-system -C "$rootfs" \
      --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' --exclude='./run/*' \
      -cf "$tarball.part" .
  mv "$tarball.part" "$tarball"
  safe_rm_tree "$work"
  trap - EXIT
}

build_base() {
  local t tag="$TAG_BASE" sources mirror components hash tarball old new
  t=$(now)
  if [ -n "${BIGDATA_BASE_IMAGE:-}" ]; then
    log "BIGDATA_BASE_IMAGE=$BIGDATA_BASE_IMAGE: not building $tag"
    return 0
  fi
  sources="$(base_sources_list)"
  [ -n "$sources" ] || die "no enabled Debian apt source for suite '$DEBIAN_SUITE' in /etc/apt/sources.list or /etc/apt/sources.list.d/ (*.list, *.sources)"
  mirror="$(awk -v s="$DEBIAN_SUITE" '$3 == s { print $2; exit }' <<<"$sources")"
  components="$(awk -v s="$DEBIAN_SUITE" '$3 == s { $1 = $2 = $3 = ""; sub(/^ +/, ""); print; exit }' <<<"$sources")"
  [ -n "$mirror" ] || die "the machine's apt sources have no entry for suite '$DEBIAN_SUITE' itself"
  hash="$( {
    echo "format=$CONTEXT_FORMAT suite=$DEBIAN_SUITE variant=$BASE_VARIANT include=$BASE_INCLUDE arch=$(dpkg --print-architecture)"
    echo "mirror=$mirror components=$components"
    echo "$sources"
    base_import_changes
    hash_tree "$IMAGES_DIR/debian-base"
    declare -f make_base_tarball
  } | sha)"
  if [ "$FORCE" -eq 0 ] && [ "$(image_label "$tag")" = "$hash" ]; then
    record "$tag" cached "$(since "$t")"; return 0
  fi
  mkdir -p "$CACHE_DIR/debian-base"
  tarball="$CACHE_DIR/debian-base/$DEBIAN_SUITE-$BASE_VARIANT-${hash:0:16}.tar"
  if [ ! -f "$tarball" ]; then
    make_base_tarball "$tarball" "$sources" "$mirror" "$components"
    find "$CACHE_DIR/debian-base" -maxdepth 1 -name "$DEBIAN_SUITE-$BASE_VARIANT-*.tar" ! -name "${tarball##*/}" -delete
  else
    log "reusing cached rootfs ${tarball#"$CACHE_DIR"/}"
  fi
  old="$(image_id "$tag")"
  local changes=() c
  while IFS= read -r c; do changes+=(--change "$c"); done < <(base_import_changes)
  docker import "${changes[@]}" --change "LABEL $LABEL_HASH=$hash" --change "LABEL bigdata.image=debian-base" \
    "$tarball" "$tag" >/dev/null
  new="$(image_id "$tag")"
  drop_old_image "$old" "$new"
  record "$tag" built "$(since "$t")"
}

# ---------------------------------------------------------------------------------------------------------------
# Downloaded artifacts (cached per recipe: a directory named by the hash of the pom/versions; .complete marks done)
# ---------------------------------------------------------------------------------------------------------------
is_version_key() { local k; for k in "${VERSION_KEYS[@]}"; do [ "$k" = "$1" ] && return 0; done; return 1; }
maven_props() { local k; for k in "${VERSION_KEYS[@]}"; do printf -- '-D%s=%s\n' "$(tr 'A-Z_' 'a-z.' <<<"$k")" "${!k}"; done; }

# mvn_copy POM OUTDIR LOG: the pom's dependencies (as its maven-dependency-plugin configuration filters them)
mvn_copy() {
  local props=()
  mapfile -t props < <(maven_props)
  mvn -B -q -f "$1" "${props[@]}" dependency:copy-dependencies -DoutputDirectory="$2" >>"$3" 2>&1 \
    || { tail -n 30 "$3" >&2; die "mvn could not resolve the dependencies of ${1#"$REPO_ROOT"/} (log: $3)"; }
}

# artifacts_dir NAME RECIPE-HASH -> sets ART_DIR; returns 0 if already complete
artifacts_ready() {
  ART_DIR="$CACHE_DIR/artifacts/$1/${2:0:16}"
  [ -f "$ART_DIR/.complete" ]
}
artifacts_done() { # NAME
  touch "$ART_DIR/.complete"
  find "$CACHE_DIR/artifacts/$1" -mindepth 1 -maxdepth 1 ! -name "${ART_DIR##*/}" -exec rm -rf {} +
}

fetch_kafka() {
  local recipe log="$LOG_DIR/kafka.log" t
  recipe="$( { echo "format=$CONTEXT_FORMAT"; cat "$IMAGES_DIR/kafka/pom.xml"; maven_props; declare -f fetch_kafka mvn_copy; } | sha)"
  artifacts_ready kafka "$recipe" && return 0
  t=$(now); log "resolving Kafka jars with mvn (images/kafka/pom.xml)"
  rm -rf "$ART_DIR"; mkdir -p "$ART_DIR"
  mvn_copy "$IMAGES_DIR/kafka/pom.xml" "$ART_DIR/libs" "$log"
  if compgen -G "$ART_DIR/libs/connect-file-*.jar" >/dev/null; then die "connect-file must not be on the Kafka classpath"; fi
  artifacts_done kafka
  # shellcheck disable=SC2012 # a count for the log of the jars mvn just copied (plain names); fetch_kafka's own text
  # is part of its cache recipe (declare -f), so rewriting this line would re-resolve the jars on every cached machine
  log "Kafka jars: $(ls "$ART_DIR/libs" | wc -l) files, $(du -sh "$ART_DIR/libs" | cut -f1) in $(since "$t")"
}

fetch_connect() {
  local recipe log="$LOG_DIR/kafka-connect.log" t dl plugins f
  recipe="$( { echo "format=$CONTEXT_FORMAT"; cat "$IMAGES_DIR/kafka-connect/pom.xml"; maven_props; declare -f fetch_connect mvn_copy; } | sha)"
  artifacts_ready kafka-connect "$recipe" && return 0
  t=$(now); log "resolving Connect plugins with mvn (images/kafka-connect/pom.xml)"
  rm -rf "$ART_DIR"; mkdir -p "$ART_DIR"
  dl="$ART_DIR/download"; plugins="$ART_DIR/connect-plugins"
  mvn_copy "$IMAGES_DIR/kafka-connect/pom.xml" "$dl" "$log"
  mkdir -p "$plugins/connect-file"
  mv "$dl/connect-file-$KAFKA_VERSION.jar" "$plugins/connect-file/"
  tar -xzf "$dl/debezium-connector-mariadb-$DEBEZIUM_VERSION-plugin.tar.gz" -C "$plugins"
  [ -f "$plugins/debezium-connector-mariadb/debezium-connector-mariadb-$DEBEZIUM_VERSION.jar" ] \
    || die "unexpected layout of the Debezium MariaDB plugin archive"
  # the plugin bundles a MariaDB JDBC driver: replace it with the pinned one
  for f in "$plugins"/debezium-connector-mariadb/mariadb-java-client-*.jar; do
    if [ -e "$f" ]; then
      log "replacing the plugin's bundled ${f##*/} with mariadb-java-client-$MARIADB_JDBC_VERSION.jar"
      rm -f "$f"
    fi
  done
  mv "$dl/mariadb-java-client-$MARIADB_JDBC_VERSION.jar" "$plugins/debezium-connector-mariadb/"
  rm -rf "$dl"
  artifacts_done kafka-connect
  log "Connect plugins ready in $(since "$t")"
}

fetch_spark() {
  local recipe log="$LOG_DIR/spark.log" t
  recipe="$( { echo "format=$CONTEXT_FORMAT"; cat "$IMAGES_DIR/spark/pom.xml"; maven_props; declare -f fetch_spark mvn_copy; } | sha)"
  artifacts_ready spark "$recipe" && return 0
  t=$(now); log "resolving Spark Kafka jars with mvn (images/spark/pom.xml)"
  rm -rf "$ART_DIR"; mkdir -p "$ART_DIR"
  mvn_copy "$IMAGES_DIR/spark/pom.xml" "$ART_DIR/jars" "$log"
  [ -f "$ART_DIR/jars/spark-sql-kafka-0-10_$SCALA_BINARY_VERSION-$SPARK_VERSION.jar" ] || die "spark-sql-kafka jar missing"
  log "building/downloading pyspark==$SPARK_VERSION py4j==$PY4J_VERSION wheels with this machine's pip (takes a while the first time)"
  local pip=(python3 -m pip)
  "${pip[@]}" --version >/dev/null 2>&1 || pip=(pip3)
  "${pip[@]}" wheel --disable-pip-version-check -w "$ART_DIR/wheels" "pyspark==$SPARK_VERSION" "py4j==$PY4J_VERSION" >>"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; die "pip could not get pyspark==$SPARK_VERSION (log: $log)"; }
  artifacts_done spark
  # shellcheck disable=SC2012 # names of the wheels pip just wrote (plain names), for the log; fetch_spark's own text
  # is part of its cache recipe (declare -f), so rewriting this line would rebuild the artifacts on every cached machine
  log "Spark artifacts ready in $(since "$t"): $(ls "$ART_DIR/wheels" | tr '\n' ' ')"
}

# Hash-checked wheels of an image's requirements file (every package pinned with == and its sha256). The compiled ones
# are CPython 3.11's, the python3 of Debian bookworm in the images (the console's, and the Spark venv the notebook
# installs into), so the host's python3 must be 3.11 too.
#   fetch_pinned_wheels NAME REQUIREMENTS_FILE
fetch_pinned_wheels() {
  local name=$1 requirements=$2 recipe log="$LOG_DIR/$1.log" t pyver
  local pip=(python3 -m pip)
  "${pip[@]}" --version >/dev/null 2>&1 || pip=(pip3)
  pyver="$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)"
  [ "$pyver" = "3.11" ] || die "$name: the host's python3 is ${pyver:-missing}; its wheels must be made with Python 3.11, the python3 of Debian $DEBIAN_SUITE in the image"
  recipe="$( { echo "format=$CONTEXT_FORMAT python=$pyver arch=$(uname -m)"; cat "$requirements"; declare -f fetch_pinned_wheels; } | sha)"
  artifacts_ready "$name" "$recipe" && return 0
  t=$(now); log "downloading the $name wheels (${requirements#"$REPO_ROOT"/}) with this machine's pip"
  rm -rf "$ART_DIR"; mkdir -p "$ART_DIR"
  "${pip[@]}" wheel --disable-pip-version-check --require-hashes --no-deps -w "$ART_DIR/wheels" -r "$requirements" >>"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; die "pip could not get the $name wheels (log: $log)"; }
  artifacts_done "$name"
  log "$name wheels ready in $(since "$t"): $(find "$ART_DIR/wheels" -name '*.whl' | wc -l) wheels, $(du -sh "$ART_DIR/wheels" | cut -f1)"
}

# ---------------------------------------------------------------------------------------------------------------
# docker build with an inputs-hash label
# ---------------------------------------------------------------------------------------------------------------
ensure_image() { # ref: pull it if missing (only for official bases given through BIGDATA_*_BASE_IMAGE)
  [ -n "$(image_id "$1")" ] || { log "pulling $1"; docker pull -q "$1" >/dev/null; }
}

# build_image NAME TAG BASE_REF [ARTIFACT_DIR] [SOURCE_DIR (default images/NAME)]
build_image() {
  local name="$1" tag="$2" base="$3" art="${4:-}" src="${5:-$IMAGES_DIR/$1}" t base_id hash old new ctx log="$LOG_DIR/$1.log"
  local args=() key
  t=$(now)
  base_id="$(image_id "$base")"
  [ -n "$base_id" ] || die "base image $base of $tag is missing"
  # build args: BASE_IMAGE plus every pinned version the Dockerfile declares
  args=(--build-arg "BASE_IMAGE=$base")
  while IFS= read -r key; do
    if is_version_key "$key"; then args+=(--build-arg "$key=${!key}"); fi
  done < <(sed -n 's/^ARG \([A-Z0-9_]*\).*/\1/p' "$src/Dockerfile" | LC_ALL=C sort -u)
  hash="$( {
    echo "format=$CONTEXT_FORMAT name=$name tag=$tag"
    echo "base=$base id=$base_id"
    printf '%s\n' "${args[@]}"
    hash_tree "$src"
    [ -z "$art" ] || list_tree "$art"
  } | sha)"
  if [ "$FORCE" -eq 0 ] && [ "$(image_label "$tag")" = "$hash" ]; then
    record "$tag" cached "$(since "$t")"; return 0
  fi
  # build context = images/<name>/ + artifacts/ (hard links into the download cache)
  ctx="$CACHE_DIR/contexts/$name"
  rm -rf "$ctx"; mkdir -p "$ctx"
  cp -a "$src/." "$ctx/"
  if [ -n "$art" ]; then
    mkdir -p "$ctx/artifacts"
    (cd "$art" && find . -mindepth 1 -maxdepth 1 ! -name .complete -exec cp -al {} "$ctx/artifacts/" \;) 2>/dev/null \
      || (cd "$art" && find . -mindepth 1 -maxdepth 1 ! -name .complete -exec cp -a {} "$ctx/artifacts/" \;)
  fi
  old="$(image_id "$tag")"
  log "building $tag (log: $log)"
  if ! docker build --label "$LABEL_HASH=$hash" --label "bigdata.image=$name" -t "$tag" "${args[@]}" "$ctx" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "docker build of $tag failed (log: $log)"
  fi
  rm -rf "$ctx"
  # intermediate multi-stage images (labelled bigdata.build-stage in their Dockerfile) stay dangling otherwise
  docker image prune -f --filter dangling=true --filter label=bigdata.build-stage >/dev/null 2>&1 || true
  new="$(image_id "$tag")"
  drop_old_image "$old" "$new"
  record "$tag" built "$(since "$t")"
}

# ---------------------------------------------------------------------------------------------------------------
want() { local n; for n in "${REQUESTED[@]}"; do [ "$n" = "$1" ] && return 0; done; return 1; }
# dependencies: mariadb/kafka/spark need debian-base, kafka-connect needs kafka
if want kafka-connect && [ -z "${BIGDATA_KAFKA_BASE_IMAGE:-}" ]; then REQUESTED+=(kafka); fi
if want notebook; then REQUESTED+=(spark); fi
if want mariadb || want kafka || want spark || want crawler || want console || want swarm-node || want k8s-node; then REQUESTED+=(debian-base); fi

BASE_REF="${BIGDATA_BASE_IMAGE:-$TAG_BASE}"
KAFKA_REF="${BIGDATA_KAFKA_BASE_IMAGE:-$TAG_KAFKA}"
[ -z "${BIGDATA_BASE_IMAGE:-}" ] || ensure_image "$BIGDATA_BASE_IMAGE"
[ -z "${BIGDATA_KAFKA_BASE_IMAGE:-}" ] || ensure_image "$BIGDATA_KAFKA_BASE_IMAGE"

if want debian-base; then build_base; fi
if want mariadb; then build_image mariadb "$TAG_MARIADB" "$BASE_REF"; fi
if want kafka; then fetch_kafka; build_image kafka "$TAG_KAFKA" "$BASE_REF" "$ART_DIR"; fi
if want kafka-connect; then fetch_connect; build_image kafka-connect "$TAG_CONNECT" "$KAFKA_REF" "$ART_DIR"; fi
if want spark; then fetch_spark; build_image spark "$TAG_SPARK" "$BASE_REF" "$ART_DIR"; fi
if want crawler; then
  # npm and tsc run on this host (with its own registry and CA settings); the image only copies the result.
  t_pkg=$(now)
  (cd "$REPO_ROOT/crawler" && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error >&2; } && npm run --silent package >&2)
  crawler_src="$CACHE_DIR/sources/crawler"
  rm -rf "$crawler_src"; mkdir -p "$crawler_src/build"
  cp "$REPO_ROOT/crawler/Dockerfile" "$crawler_src/"
  cp -a "$REPO_ROOT/crawler/build/image" "$crawler_src/build/"
  log "crawler packaged on the host in $(since "$t_pkg")"
  build_image crawler "$TAG_CRAWLER" "$BASE_REF" "" "$crawler_src"
fi
if want console; then
  # the context: the Dockerfile, the pins, the package and the chart spec (not the tests)
  fetch_pinned_wheels console "$REPO_ROOT/console/requirements.txt"
  console_src="$CACHE_DIR/sources/console"
  rm -rf "$console_src"; mkdir -p "$console_src"
  cp "$REPO_ROOT/console/Dockerfile" "$REPO_ROOT/console/requirements.txt" "$console_src/"
  cp -a "$REPO_ROOT/console/charts" "$console_src/"
  cp -a "$REPO_ROOT/console/bigdata_console" "$console_src/"
  find "$console_src/bigdata_console" -name __pycache__ -prune -exec rm -rf {} +
  build_image console "$TAG_CONSOLE" "$BASE_REF" "$ART_DIR" "$console_src"
fi

if want notebook; then fetch_pinned_wheels notebook "$IMAGES_DIR/notebook/requirements.txt"; build_image notebook "$TAG_NOTEBOOK" "$TAG_SPARK" "$ART_DIR"; fi

if want swarm-node; then build_image swarm-node "$PREFIX/swarm-node:$DEBIAN_SUITE" "$BASE_REF"; fi
if want k8s-node; then
  # The binaries (built from the Go module proxy, cached) and their versions come from the Kubernetes bootstrap.
  k8s_cache="$(dirname "$(bash "$REPO_ROOT/bootstrap/kubernetes/install.sh" | tail -n1)")"
  # shellcheck disable=SC1091
  source "$k8s_cache/versions.env"
  build_image k8s-node "$PREFIX/k8s-node:$DEBIAN_SUITE" "$BASE_REF" "$k8s_cache/images/k8s-node"
  build_image k8s-pause "$PREFIX/k8s-pause:$PAUSE_VERSION" "$BASE_REF" "$k8s_cache/images/k8s-pause"
  build_image k8s-coredns "$PREFIX/k8s-coredns:$COREDNS_VERSION" "$BASE_REF" "$k8s_cache/images/k8s-coredns"
fi

{
  printf '%-38s %-8s %8s %8s\n' IMAGE STATUS TIME SIZE
  printf '%s\n' "${SUMMARY[@]}"
} >&2
log "all done in $(since "$T_START")"
