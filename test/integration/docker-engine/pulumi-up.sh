#!/usr/bin/env bash
# End-to-end check of providers/docker-engine through the Pulumi CLI (built by bootstrap/pulumi/install.sh), on the
# local Docker engine: up -> preview without changes -> refresh -> preview without changes -> a change that replaces
# the container and the swarm config and updates the service -> no secret in plain text in the state -> destroy.
# The swarm part runs when the engine is a swarm manager or the swarm is inactive (then it is initialised with
# --advertise-addr 127.0.0.1 and left again at the end). State lives in a temporary file backend.
#
#   test/integration/docker-engine/pulumi-up.sh
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd -- "$here/../../.." && pwd)
state=$(mktemp -d)
export PULUMI_BACKEND_URL="file://$state"
export PULUMI_CONFIG_PASSPHRASE=docker-engine-it-not-secret
# shellcheck source=/dev/null
source "$repo/bootstrap/pulumi/env.sh"

run="deitp-$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')"
token="Tok3n-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
program="$here/pulumi"
swarm_created=false
failed=0

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
p() { (cd "$program" && pulumi --non-interactive "$@"); }

cleanup() {
  p destroy --yes --skip-preview >/dev/null 2>&1 || echo "cleanup: pulumi destroy failed"
  p stack rm it --yes --force >/dev/null 2>&1 || true
  rm -f "$program/Pulumi.it.yaml"
  rm -rf "$state"
  if $swarm_created; then docker swarm leave --force >/dev/null && echo "cleanup: left the swarm this test created"; fi
}
trap cleanup EXIT

swarm=false
case $(docker info --format '{{.Swarm.LocalNodeState}}') in
  inactive) docker swarm init --advertise-addr 127.0.0.1 >/dev/null && swarm_created=true && swarm=true ;;
  active) [[ $(docker info --format '{{.Swarm.ControlAvailable}}') == true ]] && swarm=true ;;
esac

p stack init it >/dev/null
p config set run "$run"
p config set --secret token "$token"
p config set version 1
p config set swarm "$swarm"

out() { p stack output "$1" 2>/dev/null; }

if p up --yes --skip-preview >"$state/up1.log" 2>&1; then pass "pulumi up (swarm=$swarm)"; else fail "pulumi up"; tail -40 "$state/up1.log"; exit 1; fi
box1=$(out boxId)
[[ $(docker exec "$run-box" cat /etc/deit/token) == "$token" ]] && pass "upload written" || fail "upload content"
[[ $(docker inspect -f '{{.State.Health.Status}}' "$run-box") == healthy ]] && pass "container healthy" || fail "container not healthy"
if $swarm; then
  conf1=$(out configName)
  [[ $conf1 =~ ^$run-conf-[0-9a-f]{7}$ ]] && pass "config auto-named $conf1" || fail "config name $conf1"
  task=$(docker ps -q --filter "label=com.docker.swarm.service.name=$run-svc" | head -1)
  [[ -n $task && $(docker exec "$task" cat /run/secrets/token) == "$token" ]] && pass "service task has the secret" || fail "service secret"
fi

if p preview --expect-no-changes >"$state/preview1.log" 2>&1; then pass "preview after up: no changes"; else fail "preview after up shows changes"; cat "$state/preview1.log"; fi
if p refresh --yes --skip-preview >"$state/refresh.log" 2>&1; then pass "refresh"; else fail "refresh"; tail -20 "$state/refresh.log"; fi
if p preview --expect-no-changes >"$state/preview2.log" 2>&1; then pass "preview after refresh: no changes"; else fail "preview after refresh shows changes"; cat "$state/preview2.log"; fi

p config set version 2
p preview --json >"$state/preview3.json" 2>"$state/preview3.err" || true
ops=$(python3 -c '
import json, sys
steps = json.load(open(sys.argv[1])).get("steps", [])
print(" ".join(sorted(s["urn"].split("::")[-1] + "=" + s["op"] for s in steps if s["op"] != "same")))
' "$state/preview3.json" 2>/dev/null || echo "unreadable preview")
expected="$run-box=replace"
$swarm && expected="$run-box=replace $run-conf=replace $run-svc=update"
[[ $ops == "$expected" ]] && pass "preview of version 2: $ops" || fail "preview of version 2: got '$ops', expected '$expected'"
if p up --yes --skip-preview >"$state/up2.log" 2>&1; then pass "pulumi up version 2"; else fail "pulumi up version 2"; tail -40 "$state/up2.log"; fi
[[ $(out boxId) != "$box1" && $(docker inspect -f '{{index .Config.Labels "version"}}' "$run-box") == 2 ]] && pass "container replaced" || fail "container not replaced"
if $swarm; then
  conf2=$(out configName)
  [[ $conf2 != "$conf1" && $conf2 =~ ^$run-conf-[0-9a-f]{7}$ ]] && pass "config replaced under a new name ($conf2)" || fail "config name after replace: $conf2"
  ! docker config inspect "$conf1" >/dev/null 2>&1 && pass "old config removed" || fail "old config $conf1 still there"
  task=$(docker ps -q --filter "label=com.docker.swarm.service.name=$run-svc" | head -1)
  [[ -n $task && $(docker exec "$task" cat /etc/deit/app.conf) == "version=2" ]] && pass "service updated to the new config" || fail "service config after update"
fi

if p stack export --show-secrets=false | grep -q -- "$token"; then fail "the token is in the state in plain text"; else pass "no secret in plain text in the state"; fi
p stack export > "$state/export.json"
if grep -q '"envs": {' "$state/export.json" && python3 - "$state/export.json" <<'PY'
import json, sys
state = json.load(open(sys.argv[1]))
sig = "4dabf18193072939515e22adb298388d"
for r in state["deployment"]["resources"]:
    if r["type"].endswith(":Container"):
        for key in ("envs", "uploads"):
            for where in ("inputs", "outputs"):
                v = r[where][key]
                assert isinstance(v, dict) and v.get(sig), f"{where}.{key} is not secret"
    if r["type"].endswith(":Secret"):
        for where in ("inputs", "outputs"):
            assert r[where]["data"].get(sig), f"Secret {where}.data is not secret"
PY
then pass "envs, uploads and secret data are secrets in inputs and outputs"; else fail "secret bits in state"; fi

if p destroy --yes --skip-preview >"$state/destroy.log" 2>&1; then pass "pulumi destroy"; else fail "pulumi destroy"; tail -20 "$state/destroy.log"; fi
left=$(docker ps -aq --filter "label=bigdata.test/run=$run"; docker network ls -q --filter "label=bigdata.test/run=$run"; docker volume ls -q --filter "label=bigdata.test/run=$run")
[[ -z $left ]] && pass "nothing left on the engine" || fail "left on the engine: $left"

echo "$([[ $failed == 0 ]] && echo "all checks passed" || echo "$failed check(s) FAILED")"
exit $((failed > 0))
