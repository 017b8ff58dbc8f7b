#!/usr/bin/env bash
# Proof that the local cluster (test/kubernetes/cluster.sh up) does what the k8s stack needs, in a namespace of its
# own that it deletes at the end. Fails loudly (exit 1, the failing check and its evidence) on any broken check.
#
#   test/kubernetes/smoke.sh        (after cluster.sh up; reads the topology from $STATE_FILE)
#
# Checks, with one platform image (the crawler's: it has Node.js, which serves and fetches HTTP here):
#   - a StatefulSet of 2 pods on two different nodes (the bigdata.spark ones), each with its own RWO claim, which
#     keeps its data when the pod is deleted and comes back
#   - one RWX claim mounted by both pods at once and by a Job on a third node: each sees the others' files
#   - a Deployment + ClusterIP Service on node-1, reached by Service name from a pod on another node
#   - pod -> pod across nodes by the StatefulSet pods' DNS names (short and fully qualified, headless Service)
#   - a NodePort Service answering on the host at nodePortHost:<last port of the range>, served by pods on the
#     other nodes (kube-proxy forwards)
#   - kubectl logs and kubectl exec
#   - deleting the namespace deletes the claims and their PersistentVolumes (none left) and the volumes' data
set -euo pipefail
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
cache=${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}
STATE_FILE=${STATE_FILE:-$cache/k8s-cluster.json}
ns=bigdata-smoke
crawler_version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$repo/crawler/package.json" | head -n1)
image=bigdata-local/crawler:$crawler_version

log() { echo "[k8s-smoke] $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
json() { node -e 'const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(process.argv[2].split(".").reduce((o, k) => o[k], t))' "$STATE_FILE" "$1"; }

[ -s "$STATE_FILE" ] || fail "no topology at $STATE_FILE (run test/kubernetes/cluster.sh up first)"
kubeconfig=$(json kubeconfig)
storage_class=$(json storageClass)
node_port_host=$(json nodePortHost)
node_port=$(json nodePorts | cut -d- -f2)
volumes=$(json sharedVolumes)
kubectl_bin=$(command -v kubectl || true)
[ -n "$kubectl_bin" ] || kubectl_bin=$cache/kubernetes/bin/kubectl
kc() { "$kubectl_bin" --kubeconfig "$kubeconfig" "$@"; }
# in POD CMD...: a command in a pod's container
in_pod() { local p=$1; shift; kc -n "$ns" exec "$p" -- "$@"; }
# The pods' HTTP client and name lookup (Node.js: the image has no curl or getent).
get_js='require("http").get(process.argv[1], { timeout: 5000 }, (r) => { let d = ""; r.on("data", (c) => (d += c)); r.on("end", () => { console.log(d); process.exit(r.statusCode === 200 ? 0 : 1); }); }).on("error", (e) => { console.error(e.message); process.exit(1); })'
lookup_js='require("dns").lookup(process.argv[1], (e, a) => { if (e) { console.error(e.message); process.exit(1); } console.log(a); })'
# retry SECONDS CMD...: CMD until it succeeds (new Services and endpoints take a moment everywhere)
retry() {
  local deadline=$(( $(date +%s) + $1 ))
  shift
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 1
  done
}

T0=$(now)
kc delete namespace "$ns" --ignore-not-found --wait=true >/dev/null
kc create namespace "$ns" >/dev/null

t=$(now)
kc -n "$ns" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: shared}
spec:
  accessModes: [ReadWriteMany]
  storageClassName: $storage_class
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Service
metadata: {name: store}
spec:
  clusterIP: None
  selector: {app: store}
  ports: [{name: http, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: store-np}
spec:
  type: NodePort
  selector: {app: store}
  ports: [{name: http, port: 8080, targetPort: 8080, nodePort: $node_port}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: store}
spec:
  serviceName: store
  replicas: 2
  selector: {matchLabels: {app: store}}
  template:
    metadata: {labels: {app: store}}
    spec:
      nodeSelector: {bigdata.spark: "true"}
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: store}}}
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: $image
        imagePullPolicy: Never
        command: [node, -e]
        args:
        - |
          const fs = require("fs"), os = require("os");
          fs.writeFileSync("/shared/from-" + os.hostname(), os.hostname());
          if (!fs.existsSync("/data/first-boot")) fs.writeFileSync("/data/first-boot", os.hostname() + " " + Date.now());
          require("http").createServer((q, r) => r.end("store " + os.hostname() + "\n")).listen(8080);
          console.log("listening as " + os.hostname());
        ports: [{containerPort: 8080}]
        volumeMounts:
        - {name: data, mountPath: /data}
        - {name: shared, mountPath: /shared}
      volumes:
      - name: shared
        persistentVolumeClaim: {claimName: shared}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: $storage_class
      resources: {requests: {storage: 1Gi}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: writer}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      nodeSelector: {bigdata.data: "true"}
      containers:
      - name: main
        image: $image
        imagePullPolicy: Never
        command: [node, -e, 'require("fs").writeFileSync("/shared/from-job", "job")']
        volumeMounts: [{name: shared, mountPath: /shared}]
      volumes:
      - name: shared
        persistentVolumeClaim: {claimName: shared}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeSelector: {bigdata.data: "true"}
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: $image
        imagePullPolicy: Never
        command: [node, -e, 'require("http").createServer((q, r) => r.end("web " + require("os").hostname() + "\n")).listen(8080)']
        ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
EOF
kc -n "$ns" rollout status statefulset/store --timeout=180s >&2 || { kc -n "$ns" get pods,pvc -o wide >&2; kc -n "$ns" describe pods >&2; fail "the StatefulSet did not get ready"; }
kc -n "$ns" rollout status deployment/web --timeout=120s >&2 || { kc -n "$ns" get pods -o wide >&2; fail "the Deployment did not get ready"; }
kc -n "$ns" wait job/writer --for=condition=Complete --timeout=120s >/dev/null || { kc -n "$ns" describe job writer >&2; fail "the Job writing to the RWX claim did not complete"; }
log "StatefulSet (2 pods, RWO + RWX claims), Deployment and a Job on the RWX claim ready in $(since "$t")"

# Placement and claims
node0=$(kc -n "$ns" get pod store-0 -o jsonpath='{.spec.nodeName}')
node1=$(kc -n "$ns" get pod store-1 -o jsonpath='{.spec.nodeName}')
web_node=$(kc -n "$ns" get pods -l app=web -o jsonpath='{.items[0].spec.nodeName}')
{ [ -n "$node0" ] && [ "$node0" != "$node1" ]; } || fail "store-0 and store-1 share node $node0"
{ [ "$web_node" != "$node0" ] && [ "$web_node" != "$node1" ]; } || fail "web runs on $web_node, beside a store pod"
log "store-0 on $node0, store-1 on $node1, web on $web_node"
for pvc in data-store-0 data-store-1 shared; do
  [ "$(kc -n "$ns" get pvc "$pvc" -o jsonpath='{.status.phase}/{.spec.storageClassName}')" = "Bound/$storage_class" ] ||
    fail "claim $pvc is not Bound with class $storage_class"
done
log "claims Bound: $(kc -n "$ns" get pvc -o jsonpath='{range .items[*]}{.metadata.name}={.spec.accessModes[0]} {end}')"

t=$(now)
# RWX: each pod sees the files the other pod and the Job wrote
job_node=$(kc -n "$ns" get pods -l job-name=writer -o jsonpath='{.items[0].spec.nodeName}')
for p in store-0 store-1; do
  out=$(in_pod "$p" cat /shared/from-store-0 /shared/from-store-1 /shared/from-job) || fail "$p cannot read the shared volume"
  [ "$out" = "store-0store-1job" ] || fail "$p sees '$out' on the shared volume, not both pods' and the Job's files"
done
log "RWX claim: both pods (on $node0 and $node1) and the Job (on $job_node) see each other's files"
# Service by name, from a pod on another node
out=$(retry 30 in_pod store-0 node -e "$get_js" http://web/) || fail "store-0 ($node0) cannot reach Service web by name"
[[ $out == "web "* ]] || fail "Service web answered '$out'"
out=$(in_pod store-1 node -e "$get_js" http://web.$ns.svc.cluster.local/) || fail "store-1 cannot reach web by its FQDN"
log "ClusterIP Service by name from $node0 and $node1 to $web_node: $out"
# pod -> pod across nodes by the StatefulSet's DNS names
for name in store-1.store "store-1.store.$ns.svc.cluster.local"; do
  out=$(retry 30 in_pod store-0 node -e "$get_js" "http://$name:8080/") || fail "store-0 cannot reach $name"
  [ "$out" = "store store-1" ] || fail "$name answered '$out'"
done
addr=$(in_pod store-0 node -e "$lookup_js" "store-1.store.$ns.svc.cluster.local")
[ "$addr" = "$(kc -n "$ns" get pod store-1 -o jsonpath='{.status.podIP}')" ] || fail "store-1.store resolves to $addr, not store-1's pod IP"
log "pod to pod across nodes by StatefulSet DNS name (short and FQDN): store-1.store -> $addr"
# NodePort from this machine
out=$(retry 30 curl -fsS --max-time 5 "http://$node_port_host:$node_port/") || fail "NodePort $node_port_host:$node_port does not answer"
[[ $out == "store store-"* ]] || fail "NodePort answered '$out'"
log "NodePort $node_port_host:$node_port answers from the host: $out"
# kubectl logs and exec
kc -n "$ns" logs store-1 | grep -q "listening as store-1" || fail "kubectl logs store-1 lacks its start line"
[ "$(in_pod store-1 hostname)" = store-1 ] || fail "kubectl exec store-1 hostname"
log "kubectl logs and exec work ($(since "$t") for the network checks)"

# RWO data outlives its pod
t=$(now)
first=$(in_pod store-0 cat /data/first-boot)
kc -n "$ns" delete pod store-0 --wait=true >/dev/null
kc -n "$ns" rollout status statefulset/store --timeout=120s >&2 || fail "store-0 did not come back"
retry 30 in_pod store-0 true || fail "store-0 did not come back"
[ "$(in_pod store-0 cat /data/first-boot)" = "$first" ] || fail "store-0's RWO volume lost its data across a pod restart"
log "RWO claim kept store-0's data across a pod restart in $(since "$t")"

# Cleanup: no PersistentVolume and no data left
t=$(now)
pvs=$(kc get pv -o jsonpath="{range .items[?(@.spec.claimRef.namespace==\"$ns\")]}{.metadata.name} {end}")
kc delete namespace "$ns" --wait=true --timeout=180s >/dev/null || fail "namespace $ns was not deleted in 180 s"
left=""
for _ in $(seq 1 60); do
  left=$(kc get pv -o jsonpath="{range .items[?(@.spec.claimRef.namespace==\"$ns\")]}{.metadata.name} {end}")
  [ -z "$left" ] && break
  sleep 1
done
[ -z "$left" ] || fail "PersistentVolumes left after the namespace went: $left"
for pv in $pvs; do
  ! compgen -G "$volumes/${pv}_*" >/dev/null || fail "volume data of $pv left in $volumes"
done
log "namespace deleted; its $(wc -w <<<"$pvs") PersistentVolumes and their data are gone in $(since "$t")"
log "all checks passed in $(since "$T0")"
