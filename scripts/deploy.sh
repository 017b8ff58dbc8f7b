#!/usr/bin/env bash
# Deploys a stack from a machine of ours as it is: bootstraps whatever is missing (npm packages, Docker engine,
# Pulumi toolchain built from source, platform images built locally), runs `pulumi up`, then prints where
# everything is and how to watch rows flow.
#
#   scripts/deploy.sh [STACK]     (default: dev; `npm run deploy` does the same; k8s-local also starts the local
#                                 Kubernetes cluster of test/kubernetes/cluster.sh and uses its kubeconfig)
#
# State goes to a local file backend (.pulumi-state/) and secrets use a passphrase: both only when
# PULUMI_BACKEND_URL / PULUMI_CONFIG_PASSPHRASE are not already set (see bootstrap/pulumi/env.sh).
set -euo pipefail
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
stack=${1:-dev}
# shellcheck source=SCRIPTDIR/lib/stacks.sh
source scripts/lib/stacks.sh
[ -f "Pulumi.$stack.yaml" ] || { echo "deploy.sh: no stack file Pulumi.$stack.yaml (stacks: $(committed_stacks))" >&2; exit 2; }

target=$(sed -n 's/^ *bigdata:target: *//p' "Pulumi.$stack.yaml")
if [ "$target" = swarm ]; then bash scripts/bootstrap.sh --swarm; else bash scripts/bootstrap.sh; fi
# shellcheck source=SCRIPTDIR/../bootstrap/pulumi/env.sh
source bootstrap/pulumi/env.sh
if [ "$stack" = k8s-local ]; then
  # The local cluster this stack file is written for: started (or kept) here, its kubeconfig used by pulumi and kubectl.
  topology=$(bash test/kubernetes/cluster.sh up | tail -n 1)
  KUBECONFIG=$(node -e 'console.log(JSON.parse(process.argv[1]).kubeconfig)' "$topology")
  export KUBECONFIG
  PATH="$(bash bootstrap/kubernetes/install.sh | tail -n 1):$PATH"
fi

pulumi stack select --create "$stack" >/dev/null
pulumi up --yes --stack "$stack"

prefix=$(pulumi config get --stack "$stack" namePrefix 2>/dev/null || echo "bigdata-$stack")
if [ "$target" = kubernetes ]; then
  namespace=$(pulumi config get --stack "$stack" --path kubernetes.namespace 2>/dev/null || echo "$prefix")
  in_container() { echo "kubectl -n $namespace exec \$(kubectl -n $namespace get pods -l bigdata.platform/workload=$1 -o name | head -1) --"; }
else
  in_container() { echo "docker exec \$(docker ps -q --filter label=bigdata.platform/stack=$prefix --filter label=bigdata.platform/workload=$1 | head -1)"; }
fi
cat <<EOF2

Deployed stack '$stack'. Outputs (secrets hidden; add --show-secrets to see them):
$(pulumi stack output --stack "$stack")

Watch rows flow:
  rows in MariaDB:   $(in_container mariadb) sh -c 'mariadb -ucrawler -p"\$MARIADB_PASSWORD" testdb -e "SELECT COUNT(*), MAX(id) FROM test"'
  rows in the topic: $(in_container kafka-1) /opt/kafka/bin/kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic web-crawler-test --from-beginning --max-messages 5
  the sink file:     $(in_container connect) tail -f /var/lib/connect-sink/weather.txt
  connectors:        curl -s \$(pulumi stack output --stack $stack connectRestUrl)/connectors?expand=status
EOF2
