#!/usr/bin/env bash
# Previews every committed stack (Pulumi.<stack>.yaml) with the policy pack in policy/, on a throw-away local file
# backend, and a deliberately bad stack per target kind that the pack must reject. Nothing is deployed.
#
#   scripts/policy-preview.sh                    (npm run policy:preview)
#   scripts/policy-preview.sh --print-findings   print each stack's advisory findings in policy/expected-findings.txt form
#   POLICY_PREVIEW_STACKS="dev swarm" scripts/policy-preview.sh   only these committed stacks ("" for none)
#
# Per committed stack: pass when the preview succeeds and its advisory findings are exactly those listed for it in
# policy/expected-findings.txt. Per bad stack: pass when the preview fails on exactly the mandatory policies expected.
# The Kubernetes stacks preview without a cluster: the kubernetes provider previews offline when none is reachable.
set -euo pipefail
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
print_findings=false
for arg in "$@"; do
  case "$arg" in
    --print-findings) print_findings=true ;;
    *) echo "policy-preview.sh: unknown argument: $arg (allowed: --print-findings)" >&2; exit 2 ;;
  esac
done

# shellcheck source=SCRIPTDIR/../bootstrap/pulumi/env.sh
source bootstrap/pulumi/env.sh
bash scripts/policy-install.sh

work=$(mktemp -d)
restore=()
cleanup() {
  # `pulumi stack init` writes the passphrase salt into Pulumi.<stack>.yaml: put committed files back, remove made ones.
  local f
  for f in "${restore[@]}"; do
    if [ -f "$work/orig/$f" ]; then cp "$work/orig/$f" "$f"; else rm -f "$f"; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/state" "$work/orig" "$work/config"
export PULUMI_BACKEND_URL="file://$work/state"
# A throw-away backend's throw-away stacks: the passphrase protects nothing.
export PULUMI_CONFIG_PASSPHRASE=policy-preview-not-secret
unset PULUMI_CONFIG_PASSPHRASE_FILE

# Creates the stack on the throw-away backend from a config file, leaving the config file in the repo as it was;
# the salted copy used from then on is $work/config/Pulumi.<stack>.yaml.
init_stack() {
  local stack=$1 source=$2 file="Pulumi.$1.yaml"
  [ -f "$file" ] && cp "$file" "$work/orig/$file"
  restore+=("$file")
  [ "$source" = "$file" ] || cp "$source" "$file"
  pulumi stack init "$stack" --non-interactive >/dev/null
  cp "$file" "$work/config/$file"
  if [ -f "$work/orig/$file" ]; then cp "$work/orig/$file" "$file"; else rm -f "$file"; fi
}

# Previews with the pack; writes "<level> <policy> <resource name>" per finding to $work/<stack>.findings and
# returns the preview's exit code.
preview() {
  local stack=$1 rc=0
  PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true nice pulumi preview --stack "$stack" --non-interactive --json \
    --config-file "$work/config/Pulumi.$stack.yaml" --policy-pack policy >"$work/$stack.events" 2>"$work/$stack.err" || rc=$?
  # shellcheck disable=SC2016 # JavaScript for node, whose template literals must not be expanded by the shell
  node -e '
    const fs = require("fs");
    const lines = fs.readFileSync(process.argv[1], "utf8").split("\n").filter((l) => l.startsWith("{"));
    const out = new Set();
    for (const l of lines) {
      const e = JSON.parse(l).policyEvent;
      if (!e) continue;
      const name = e.resourceUrn ? e.resourceUrn.split("::").pop() : "(stack)";
      out.add(`${e.enforcementLevel} ${e.policyName} ${name}`);
    }
    fs.writeFileSync(process.argv[2], [...out].sort().join("\n") + (out.size ? "\n" : ""));
    // Errors other than policy violations (a config the program rejects), for the failure report.
    const errors = lines.map((l) => JSON.parse(l).diagnosticEvent).filter((d) => d && d.severity === "error").map((d) => d.message.trim());
    fs.writeFileSync(process.argv[3], errors.join("\n") + (errors.length ? "\n" : ""));
  ' "$work/$stack.events" "$work/$stack.findings" "$work/$stack.errors"
  return "$rc"
}

failures=0
prefixed() { local line; while IFS= read -r line; do printf '%s%s\n' "$1" "$line"; done; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# shellcheck source=SCRIPTDIR/lib/stacks.sh
source scripts/lib/stacks.sh
for stack in ${POLICY_PREVIEW_STACKS-$(committed_stacks)}; do
  [ -f "Pulumi.$stack.yaml" ] || { fail "$stack: no stack file Pulumi.$stack.yaml"; continue; }
  start=$SECONDS
  init_stack "$stack" "Pulumi.$stack.yaml"
  rc=0; preview "$stack" || rc=$?
  took=$((SECONDS - start))
  if $print_findings; then sed -n "s/^advisory /$stack /p" "$work/$stack.findings"; continue; fi
  if [ "$rc" -ne 0 ]; then
    fail "$stack: preview failed (exit $rc, ${took}s):"; grep -v '^advisory ' "$work/$stack.findings" | sed 's/^/    /' || true
    head -c 2000 "$work/$stack.errors" "$work/$stack.err" | sed 's/^/    /'
    continue
  fi
  sed -n "s/^advisory /$stack /p" "$work/$stack.findings" | sort >"$work/$stack.actual"
  { grep -E "^$stack " policy/expected-findings.txt || true; } | sort >"$work/$stack.expected"
  new=$(comm -23 "$work/$stack.actual" "$work/$stack.expected")
  gone=$(comm -13 "$work/$stack.actual" "$work/$stack.expected")
  if [ -n "$new" ] || [ -n "$gone" ]; then
    fail "$stack: advisory findings differ from policy/expected-findings.txt (${took}s)"
    [ -z "$new" ] || prefixed "    new:  " <<<"$new"
    [ -z "$gone" ] || prefixed "    gone: " <<<"$gone"
  else
    echo "PASS $stack (${took}s): $(wc -l <"$work/$stack.actual") advisory findings, all listed; no mandatory one"
  fi
done
$print_findings && exit 0

# Deliberately bad stacks, generated: each must be rejected by exactly the mandatory policies named.
cat >"$work/bad-docker.yaml" <<'YAML'
# Unpinned images and admin endpoints on every interface, on a docker stack that is not a dev stack.
config:
  bigdata:target: docker
  bigdata:imageSet: local
  bigdata:docker:
    publishAddress: 0.0.0.0
  bigdata:mariadb:
    image: mariadb
  bigdata:spark:
    image: bigdata-local/spark:latest
  bigdata:dashboards:
    kafkaUi:
      enabled: false
  bigdata:crawler:
    mode: load
  bigdata:benchmark:
    enabled: false
YAML
cat >"$work/bad-swarm.yaml" <<'YAML'
# Three brokers on a multi-host swarm with replication factor 1 and min.insync.replicas 1.
config:
  bigdata:target: swarm
  bigdata:publicHost: node-1
  bigdata:nodes:
    - { name: node-1, labels: { role: data } }
    - { name: node-2, labels: { role: kafka } }
    - { name: node-3, labels: { role: kafka } }
  bigdata:kafka:
    brokers: 3
    defaultReplicationFactor: 1
    minInsyncReplicas: 1
  bigdata:kafkaConnect:
    internalTopicReplicationFactor: 1
  bigdata:dashboards:
    kafkaUi:
      enabled: false
  bigdata:crawler:
    mode: load
  bigdata:benchmark:
    enabled: false
YAML
declare -A rejected_by=(
  [bad-docker]="admin-endpoints-not-on-all-interfaces images-pinned"
  [bad-swarm]="kafka-replication-on-multi-host"
)
for bad in bad-docker bad-swarm; do
  stack="policy-$bad"
  start=$SECONDS
  init_stack "$stack" "$work/$bad.yaml"
  rc=0; preview "$stack" || rc=$?
  took=$((SECONDS - start))
  got=$(sed -n 's/^mandatory \([^ ]*\) .*/\1/p' "$work/$stack.findings" | sort -u | tr '\n' ' ' | sed 's/ $//')
  if [ "$rc" -ne 0 ] && [ "$got" = "${rejected_by[$bad]}" ]; then
    echo "PASS $stack rejected (${took}s) by: $got"
    sed -n 's/^mandatory /    /p' "$work/$stack.findings"
  else
    fail "$stack: expected the preview to fail on [${rejected_by[$bad]}], got exit $rc and [$got] (${took}s)"
    head -c 2000 "$work/$stack.errors" "$work/$stack.err" | sed 's/^/    /'
  fi
done

[ "$failures" -eq 0 ] || { echo "policy-preview: $failures failure(s)"; exit 1; }
echo "policy-preview: all stacks as expected"
