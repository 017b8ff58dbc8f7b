#!/usr/bin/env bash
# The one place the pipeline's Pulumi commands live: the GitHub Actions and GitLab CI workflows call this script
# and nothing else for Pulumi, and the tests run it too, so what a pipeline does is what the tests exercise.
#
#   scripts/pipeline.sh preview STACK [--out DIR]    pulumi preview --refresh --diff with the policy pack, saving a plan;
#                                                    writes DIR/plan.json, DIR/preview.txt and DIR/comment.md
#                                                    (the diff as a pull-request comment, secrets masked)
#   scripts/pipeline.sh apply STACK [--plan FILE]    pulumi up --refresh --yes with the policy pack; with --plan, exactly
#                                                    the reviewed plan (the CLI refuses changes the plan did not show)
#   scripts/pipeline.sh drift STACK [--out DIR]      out-of-band changes: pulumi preview --refresh --expect-no-changes;
#                                                    writes DIR/drift.json and DIR/drift.md; exit 3 when drift is found
#
# Why --refresh everywhere (measured with our CLI 3.248, README "Pipelines"): `pulumi up` without it diffs the program
# against the last recorded state, so it neither sees nor repairs a change made out of band (a connector's config
# edited through Connect's REST API stayed edited after `pulumi up`); and `pulumi refresh --preview-only` compares
# the live platform with the state, not with the program, so it goes blind once any refresh has recorded the drift.
#
# DIR defaults to .pipeline/STACK (git-ignored). Exit codes: 0 fine, 1 a command failed, 2 bad usage or a missing
# setting, 3 drift found.
#
# Backend and secrets come from the environment, never from this repository:
#   PULUMI_BACKEND_URL          a self-managed backend (s3://, azblob://, gs://, file://), or
#   PULUMI_ACCESS_TOKEN         Pulumi Cloud (the backend when PULUMI_BACKEND_URL is unset)
#   PULUMI_CONFIG_PASSPHRASE    (or PULUMI_CONFIG_PASSPHRASE_FILE) for stacks with the passphrase secrets provider;
#                               not needed when Pulumi.STACK.yaml names another one (secretsprovider: awskms://...)
# Optional:
#   PIPELINE_POLICY_CONFIG      a policy pack config file (--policy-pack-config), e.g. to list more dev stacks
set -euo pipefail
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
readonly verbs="preview apply drift"

usage() {
  echo "usage: scripts/pipeline.sh <preview|apply|drift> <stack> [--out DIR] [--plan FILE]" >&2
  echo "  $*" >&2
  exit 2
}
die() { echo "pipeline: $*" >&2; exit 1; }

# shellcheck source=SCRIPTDIR/lib/stacks.sh
source scripts/lib/stacks.sh

[ $# -ge 1 ] || usage "missing the verb (allowed: ${verbs// /, })"
verb=$1
case " $verbs " in *" $verb "*) ;; *) usage "unknown verb '$verb' (allowed: ${verbs// /, })" ;; esac
[ $# -ge 2 ] || usage "missing the stack name (stacks with a stack file here: $(committed_stacks))"
stack=$2
shift 2
[[ $stack =~ ^[A-Za-z0-9_.-]+$ ]] || usage "bad stack name '$stack' (letters, digits, '.', '_' and '-' only)"
stack_file="Pulumi.$stack.yaml"
[ -f "$stack_file" ] || usage "no stack file $stack_file for stack '$stack' (stacks with a stack file here: $(committed_stacks))"

out="" plan=""
while [ $# -gt 0 ]; do
  case "$verb:$1" in
    preview:--out | drift:--out) [ $# -ge 2 ] || usage "$1 needs a directory"; out=$2; shift 2 ;;
    apply:--plan) [ $# -ge 2 ] || usage "$1 needs a plan file (written by: scripts/pipeline.sh preview $stack)"; plan=$2; shift 2 ;;
    *)
      case "$verb" in
        apply) usage "unknown option '$1' for apply (allowed: --plan FILE)" ;;
        *) usage "unknown option '$1' for $verb (allowed: --out DIR)" ;;
      esac
      ;;
  esac
done
[ -z "$plan" ] || [ -f "$plan" ] || usage "plan file '$plan' does not exist (write it with: scripts/pipeline.sh preview $stack)"
out=${out:-.pipeline/$stack}

# --- settings from the environment: say exactly what is missing ------------------------------------------------
missing=()
if [ -z "${PULUMI_BACKEND_URL:-}" ]; then
  if [ -n "${PULUMI_ACCESS_TOKEN:-}" ]; then
    # Pulumi Cloud; set explicitly so that bootstrap/pulumi/env.sh does not pick its local file backend.
    export PULUMI_BACKEND_URL=https://api.pulumi.com
  else
    missing+=("PULUMI_BACKEND_URL (s3://..., azblob://..., gs://..., file://...) or PULUMI_ACCESS_TOKEN (Pulumi Cloud)")
  fi
fi
provider=$(sed -n 's/^secretsprovider:[[:space:]]*//p' "$stack_file" | tr -d '"'"'")
if [ -z "$provider" ] || [[ $provider == passphrase* ]]; then
  if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
    missing+=("PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE (stack '$stack' uses the passphrase secrets provider; or set secretsprovider: in $stack_file to a KMS/Vault provider)")
  fi
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "pipeline: missing settings for stack '$stack' (set them as CI secrets/variables):" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 2
fi

# The toolchain built by bootstrap/pulumi/install.sh when there is one; else a pulumi already on PATH. env.sh only
# fills in what is unset, so the backend and passphrase checked above are kept.
# shellcheck source=SCRIPTDIR/../bootstrap/pulumi/env.sh
source bootstrap/pulumi/env.sh 2>/dev/null
command -v pulumi >/dev/null 2>&1 || die "no pulumi CLI: run bash scripts/bootstrap.sh (or put pulumi 3.248 on PATH)"
[ -d node_modules ] || die "no node_modules: run npm ci in $repo first"
bash scripts/policy-install.sh

common=(--stack "$stack" --non-interactive --color never)
pack=(--policy-pack policy)
if [ -n "${PIPELINE_POLICY_CONFIG:-}" ]; then
  [ -f "$PIPELINE_POLICY_CONFIG" ] || usage "PIPELINE_POLICY_CONFIG names '$PIPELINE_POLICY_CONFIG', which does not exist"
  pack+=(--policy-pack-config "$PIPELINE_POLICY_CONFIG")
fi
mkdir -p "$out"

# The stack's secret values, one per line, in a private temporary file removed on exit: secret config (a new stack has
# nothing else yet) and every secret in state (generated passwords, connector secretConfig). Read again after a run,
# since the run may have generated new ones.
secrets_dir=$(mktemp -d)
chmod 700 "$secrets_dir"
trap 'rm -rf "$secrets_dir"' EXIT
values=$secrets_dir/values
collect_secret_values() {
  pulumi config "${common[@]:0:2}" --show-secrets --json >"$secrets_dir/config" 2>/dev/null || echo '{}' >"$secrets_dir/config"
  pulumi stack export "${common[@]:0:2}" --show-secrets >"$secrets_dir/state" 2>/dev/null || echo '{}' >"$secrets_dir/state"
  node "$repo/scripts/pipeline/secret-values.mjs" "$secrets_dir/config" "$secrets_dir/state" >"$values"
  rm -f "$secrets_dir/config" "$secrets_dir/state"
}
# What a command prints, with the secret values known before it ran replaced by [secret].
mask() { node "$repo/scripts/pipeline/mask.mjs" "$values"; }
# Fails (exit 1) when a secret value of the stack appears in one of FILES; prints only where, never the value.
check_no_secrets() {
  collect_secret_values
  node "$repo/scripts/pipeline/find-secrets.mjs" "$values" "$@"
}
collect_secret_values

case "$verb" in
  preview)
    rm -f "$out/plan.json" "$out/preview.txt" "$out/comment.md"
    rc=0
    nice pulumi preview "${common[@]}" --refresh --diff "${pack[@]}" --save-plan "$out/plan.json" 2>&1 | mask | tee "$out/preview.txt" ||
      rc=${PIPESTATUS[0]}
    node scripts/pipeline/comment.mjs "$stack" "$rc" "$out/preview.txt" >"$out/comment.md"
    check_no_secrets "$out/preview.txt" "$out/comment.md"
    [ "$rc" -eq 0 ] || die "pulumi preview of '$stack' failed (exit $rc); the output is in $out/preview.txt"
    echo "pipeline: preview of '$stack' done: plan $out/plan.json, comment $out/comment.md"
    ;;
  apply)
    args=("${common[@]}" --yes --refresh --diff "${pack[@]}")
    [ -z "$plan" ] || args+=(--plan "$plan")
    rc=0
    nice pulumi up "${args[@]}" 2>&1 | mask || rc=${PIPESTATUS[0]}
    [ "$rc" -eq 0 ] || die "pulumi up of '$stack' failed (see above)${plan:+; with a saved plan, the CLI refuses an update that differs from it (another commit, config or state): preview again}"
    echo "pipeline: apply of '$stack' done${plan:+ with the reviewed plan $plan}"
    ;;
  drift)
    rc=0
    start=$SECONDS
    # The live platform (the docker provider's reads, the Connector's read of its config and target state) against
    # the program; JSON so that the summary can name each resource and property.
    nice pulumi preview "${common[@]}" --refresh --expect-no-changes --json 2>"$out/drift.err" | mask >"$out/drift.json" ||
      rc=${PIPESTATUS[0]}
    took=$((SECONDS - start))
    node scripts/pipeline/drift-summary.mjs "$stack" "$out/drift.json" "$took" >"$out/drift.md"
    check_no_secrets "$out/drift.json" "$out/drift.md" "$out/drift.err"
    cat "$out/drift.md"
    if grep -q '^DRIFT' "$out/drift.md"; then exit 3; fi
    [ "$rc" -eq 0 ] || { tail -n 20 "$out/drift.err" >&2; die "pulumi preview --refresh of '$stack' failed (exit $rc) without a drift to report; see $out/drift.md"; }
    ;;
esac
