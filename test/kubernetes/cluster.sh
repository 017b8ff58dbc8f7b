#!/usr/bin/env bash
# A real multi-node Kubernetes cluster on this one machine, for the k8s stack's end-to-end test: a control-plane
# container (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, the storage provisioner) and K8S_NODES
# worker containers (containerd, kubelet, kube-proxy), all from image bigdata-local/k8s-node on a bridge network of
# ours, each with a fixed address. Pods get one flat network (node i's pods: 10.244.i.0/24, routed between the
# node containers); Services at 10.96.0.0/16, cluster DNS (CoreDNS) at 10.96.0.10. No registry: the platform's
# images are loaded into every node's containerd (docker save | ctr import, skipped where the node has the image).
#
#   test/kubernetes/cluster.sh up      start (or keep, when already running from the current image) the cluster,
#                                      label the nodes, load images, install DNS and storage; prints the topology
#                                      as JSON on stdout and writes it to $STATE_FILE
#   test/kubernetes/cluster.sh down    remove the containers, their network and the volumes' data
#   test/kubernetes/cluster.sh purge   down, and remove the nodes' image caches (their /var/lib/containerd
#                                      volumes) and the cluster's certificates
#
# Env: K8S_NODES (default 3), K8S_API_PORT (default 26443: the API server on 127.0.0.1), K8S_NODE_PORTS (default
#      30000-30049: the NodePort range, published from node-1 on 127.0.0.1 and the only range the API server
#      allocates from), BIGDATA_CACHE_DIR.
# Labels: every node bigdata.kafka=true; node-1 bigdata.data=true; the other nodes bigdata.spark=true (as the
# swarm fixture). Storage: StorageClass bigdata-local (default; RWO and RWX; reclaim Delete): a directory of the
# machine bind-mounted at /var/lib/bigdata-volumes in every container, provisioned by local-path-provisioner.
set -euo pipefail
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
nodes=${K8S_NODES:-3}
api_port=${K8S_API_PORT:-26443}
node_ports=${K8S_NODE_PORTS:-30000-30049}
cache=${BIGDATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bigdata-platform}
STATE_FILE=${STATE_FILE:-$cache/k8s-cluster.json}
state=$cache/k8s-cluster
kubeconfig=$state/admin.kubeconfig
network=bigdata-k8s
prefix=bigdata-k8s
control=$prefix-control
label=bigdata.platform/test=k8s-cluster
service_cidr=10.96.0.0/16
api_service_ip=10.96.0.1
dns_ip=10.96.0.10
cluster_cidr=10.244.0.0/16
storage_class=bigdata-local
volumes_path=/var/lib/bigdata-volumes
# shellcheck disable=SC1091
source "$repo/images/versions.env"
# shellcheck source=SCRIPTDIR/../host-network.sh
source "$repo/test/host-network.sh"
node_image=bigdata-local/k8s-node:$DEBIAN_SUITE

log() { echo "[k8s-cluster] $*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
kc() { "$bin/kubectl" --kubeconfig "$kubeconfig" "$@"; }
node_name() { echo "node-$1"; }
node_container() { echo "$prefix-node-$1"; }
pod_cidr() { echo "10.244.$1.0/24"; }
address() { docker inspect -f "{{(index .NetworkSettings.Networks \"$network\").IPAddress}}" "$1"; }

[[ $node_ports =~ ^([0-9]+)-([0-9]+)$ ]] || die "K8S_NODE_PORTS must be FIRST-LAST, not '$node_ports'"
{ [ "$nodes" -ge 1 ] && [ "$nodes" -le 200 ]; } || die "K8S_NODES must be 1..200"

# The cluster's own images, loaded beside platform_images (test/host-network.sh): the pod sandbox, CoreDNS, and the
# Debian base (the storage provisioner's helper pods, tests). Fixed addresses: the control plane host_ip 0, node i host_ip i.
cluster_images() {
  echo "$pause_image $coredns_image bigdata-local/debian-base:$DEBIAN_SUITE"
}

# --- certificates (made once, kept across down/up: the kubeconfig stays valid) ---------------------------------
# sign NAME SUBJECT EXTENSIONS: NAME.key and NAME.crt signed by the cluster's CA.
sign() {
  local dir=$state/pki
  [ -s "$dir/$1.crt" ] && return 0
  openssl genrsa -out "$dir/$1.key" 2048 2>/dev/null
  openssl req -new -key "$dir/$1.key" -subj "$2" -out "$dir/$1.csr" 2>/dev/null
  printf '%b\n' "$3" >"$dir/$1.ext"
  openssl x509 -req -in "$dir/$1.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 3650 \
    -extfile "$dir/$1.ext" -out "$dir/$1.crt.tmp" 2>/dev/null
  mv "$dir/$1.crt.tmp" "$dir/$1.crt"
  rm -f "$dir/$1.csr" "$dir/$1.ext"
}
make_pki() {
  local dir=$state/pki i client="keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth"
  command -v openssl >/dev/null || die "openssl is needed for the cluster's certificates"
  mkdir -p "$dir"
  if [ ! -s "$dir/ca.crt" ]; then
    openssl genrsa -out "$dir/ca.key" 2048 2>/dev/null
    openssl req -x509 -new -key "$dir/ca.key" -subj "/CN=bigdata-k8s-ca" -days 3650 -out "$dir/ca.crt" 2>/dev/null
  fi
  [ -s "$dir/sa.key" ] || { openssl genrsa -out "$dir/sa.key" 2048 2>/dev/null && openssl rsa -in "$dir/sa.key" -pubout -out "$dir/sa.pub" 2>/dev/null; }
  sign apiserver "/CN=kube-apiserver" "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:$control,DNS:localhost,IP:127.0.0.1,IP:$api_service_ip"
  sign admin "/O=system:masters/CN=kubernetes-admin" "$client"
  for i in $(seq 1 "$nodes"); do sign "node-$i" "/O=system:nodes/CN=system:node:node-$i" "$client"; done
  chmod 0644 "$dir"/*.key # read by the daemons in the containers (as root); the directory itself is ours
  chmod 0700 "$dir"
}

write_kubeconfig() {
  local dir=$state/pki
  cat >"$kubeconfig.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: bigdata-k8s
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority-data: $(base64 -w0 "$dir/ca.crt")
users:
- name: bigdata-k8s-admin
  user:
    client-certificate-data: $(base64 -w0 "$dir/admin.crt")
    client-key-data: $(base64 -w0 "$dir/admin.key")
contexts:
- name: bigdata-k8s
  context: {cluster: bigdata-k8s, user: bigdata-k8s-admin}
current-context: bigdata-k8s
EOF
  chmod 0600 "$kubeconfig.tmp"
  mv -f "$kubeconfig.tmp" "$kubeconfig"
}

# --- containers ------------------------------------------------------------------------------------------------
# running_current NAME: the container runs, from the current node image.
running_current() {
  [ "$(docker inspect -f '{{.State.Running}} {{.Image}}' "$1" 2>/dev/null)" = "true $(docker image inspect -f '{{.Id}}' "$node_image")" ]
}

upstream_dns() { awk '$1 == "nameserver" && $2 !~ /^127\./ && $2 !~ /:/ { print $2 }' /etc/resolv.conf | tr '\n' ' '; }

common_env() {
  echo "-e K8S_API_SERVER=https://$control:6443 -e K8S_SERVICE_CIDR=$service_cidr -e K8S_CLUSTER_CIDR=$cluster_cidr"
  echo "-e K8S_NODE_PORTS=$node_ports -e K8S_DNS_IP=$dns_ip -e K8S_PAUSE_IMAGE=$pause_image"
}

start_control() {
  docker rm -f "$control" >/dev/null 2>&1 || true
  # shellcheck disable=SC2046 # common_env is a list of words
  docker run -d --name "$control" --hostname control --network "$network" --ip "$(host_ip 0)" --label "$label" \
    -v "$state/pki:/etc/kubernetes/pki:ro" -v "$state/volumes:$volumes_path" \
    -p "127.0.0.1:$api_port:6443" $(common_env) "$node_image" control >/dev/null
}

start_node() {
  local i=$1 j peers="" publish=()
  for j in $(seq 1 "$nodes"); do
    [ "$j" = "$i" ] || peers+="$(pod_cidr "$j")=$(host_ip "$j") "
  done
  # NodePort Services are reachable from this machine through node-1 (kube-proxy forwards to any node's pods).
  [ "$i" != 1 ] || publish=(-p "127.0.0.1:$node_ports:$node_ports")
  docker rm -f "$(node_container "$i")" >/dev/null 2>&1 || true
  # --privileged is refused on our machines; these capabilities are what a nested runtime needs here (the list of
  # test/swarm/multi-host.sh: SYS_ADMIN for mounts, NET_ADMIN for iptables and the CNI bridge, SYSLOG for the
  # kubelet's /dev/kmsg, SYS_PTRACE for runc).
  # shellcheck disable=SC2046 # common_env is a list of words
  docker run -d --name "$(node_container "$i")" --hostname "$(node_name "$i")" --network "$network" --ip "$(host_ip "$i")" \
    --label "$label" \
    --cap-add SYS_ADMIN --cap-add NET_ADMIN --cap-add NET_RAW --cap-add SYS_MODULE --cap-add SYS_PTRACE \
    --cap-add MKNOD --cap-add DAC_READ_SEARCH --cap-add SYS_NICE --cap-add IPC_LOCK --cap-add NET_BROADCAST \
    --cap-add SYSLOG --cap-add AUDIT_CONTROL --cap-add MAC_ADMIN --cap-add SYS_RAWIO --cap-add LINUX_IMMUTABLE \
    --security-opt seccomp=unconfined --security-opt apparmor=unconfined --device /dev/kmsg \
    -v /sys/fs/cgroup:/sys/fs/cgroup:rw -v "$(node_container "$i")-containerd:/var/lib/containerd" \
    -v "$state/pki:/etc/kubernetes/pki:ro" -v "$state/volumes:$volumes_path" \
    "${publish[@]}" $(common_env) -e "K8S_POD_CIDR=$(pod_cidr "$i")" -e "K8S_PEERS=$peers" \
    -e "K8S_UPSTREAM_DNS=$(upstream_dns)" "$node_image" node >/dev/null
}

# Keeps a cluster that runs from the current image (a second `up` is quick and keeps the workloads); otherwise a
# fresh one: a new control plane (new etcd) means new nodes and empty volumes.
start_cluster() {
  local i fresh=0
  create_network
  mkdir -p "$state/volumes"
  if ! running_current "$control"; then
    fresh=1
    for i in $(seq 1 "$nodes"); do docker rm -f "$(node_container "$i")" >/dev/null 2>&1 || true; done
    docker rm -f "$control" >/dev/null 2>&1 || true
    clean_volumes
    start_control
    log "control plane started ($control, $(address "$control"))"
  fi
  for i in $(seq 1 "$nodes"); do
    if [ "$fresh" = 1 ] || ! running_current "$(node_container "$i")"; then
      start_node "$i"
      log "node-$i started ($(node_container "$i"), $(address "$(node_container "$i")"))"
    fi
  done
  # Nodes beyond K8S_NODES (a smaller cluster than last time) go.
  for i in $(docker ps -a --filter "label=$label" --format '{{.Names}}' | sed -n "s/^$prefix-node-\([0-9]*\)$/\1/p"); do
    [ "$i" -le "$nodes" ] || { docker rm -f "$(node_container "$i")" >/dev/null; kc delete node "node-$i" --ignore-not-found >/dev/null 2>&1 || true; }
  done
}

# wait_for WHAT SECONDS CMD...: CMD until it succeeds, at most SECONDS of wall time.
wait_for() {
  local what=$1 secs=$2 deadline
  shift 2
  deadline=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 1
  done
  log "$what"
}

nodes_ready() {
  local ready
  ready=$(kc get nodes -o jsonpath='{range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c '=True$' || true)
  [ "$ready" -ge "$nodes" ]
}

wait_cluster() {
  wait_for "API server ready" 120 kc get --raw /readyz || {
    docker exec "$control" tail -n 30 /var/log/k8s/kube-apiserver.log >&2 || true
    die "the API server did not get ready in 120 s (its log above)"
  }
  wait_for "$nodes nodes Ready" 180 nodes_ready || {
    kc get nodes -o wide >&2 || true
    docker exec "$(node_container 1)" tail -n 30 /var/log/k8s/kubelet.log >&2 || true
    die "not all nodes got Ready in 180 s (node-1's kubelet log above)"
  }
  # Pods are refused until the controller manager has made a namespace's default service account; a cluster
  # started afresh (after the engine stopped its containers) answers before it has.
  wait_for "service accounts made" 120 kc -n kube-system get serviceaccount default || {
    docker exec "$control" tail -n 30 /var/log/k8s/kube-controller-manager.log >&2 || true
    die "the controller manager made no default service account in 120 s (its log above)"
  }
}

label_nodes() {
  local i
  kc label --overwrite node node-1 bigdata.kafka=true bigdata.data=true >/dev/null
  for i in $(seq 2 "$nodes"); do
    kc label --overwrite node "node-$i" bigdata.kafka=true bigdata.spark=true >/dev/null
  done
}

node_labels_json() {
  if [ "$1" = 1 ]; then echo '{"bigdata.kafka": "true", "bigdata.data": "true"}'
  else echo '{"bigdata.kafka": "true", "bigdata.spark": "true"}'; fi
}

# --- images: docker save | ctr import into every node's containerd ------------------------------------------------
load_images() {
  local image i id pids=()
  for image in $(cluster_images) $(platform_images); do
    docker image inspect "$image" >/dev/null 2>&1 || die "image $image is missing (run scripts/bootstrap.sh)"
  done
  # Nodes load in parallel; each node's images one after another (an import is mostly disk-bound). An imported
  # image is labelled with its Docker image ID, so an unchanged image is skipped.
  for i in $(seq 1 "$nodes"); do
    (
      c=$(node_container "$i")
      have=$(docker exec "$c" ctr -n k8s.io images ls 2>/dev/null || true)
      for image in $(cluster_images) $(platform_images); do
        id=$(docker image inspect -f '{{.Id}}' "$image")
        if grep -q "^docker.io/$image .*bigdata.image-id=$id" <<<"$have"; then continue; fi
        t=$(now)
        docker save "$image" | docker exec -i "$c" ctr -n k8s.io images import - >/dev/null
        docker exec "$c" ctr -n k8s.io images label "docker.io/$image" "bigdata.image-id=$id" >/dev/null
        log "node-$i: imported $image in $(since "$t")"
      done
    ) &
    pids+=($!)
  done
  local failed=0 pid
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ "$failed" -eq 0 ] || die "loading images into the nodes failed"
}

# --- add-ons: cluster DNS and storage ----------------------------------------------------------------------------
addons() {
  local forward="" ns
  for ns in $(upstream_dns); do forward+=" $ns"; done
  [ -z "$forward" ] || forward="forward .$forward"
  kc apply -f - >/dev/null <<EOF
apiVersion: v1
kind: ServiceAccount
metadata: {name: coredns, namespace: kube-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:coredns"}
rules:
- apiGroups: [""]
  resources: [endpoints, services, pods, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "system:coredns"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:coredns"}
subjects: [{kind: ServiceAccount, name: coredns, namespace: kube-system}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: coredns, namespace: kube-system}
data:
  Corefile: |
    .:53 {
        errors
        health {
            lameduck 5s
        }
        ready
        kubernetes cluster.local in-addr.arpa ip6.arpa {
            pods insecure
            fallthrough in-addr.arpa ip6.arpa
            ttl 30
        }
        $forward
        cache 30
        loop
        reload
        loadbalance
    }
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  replicas: 2
  selector: {matchLabels: {k8s-app: kube-dns}}
  template:
    metadata: {labels: {k8s-app: kube-dns}}
    spec:
      serviceAccountName: coredns
      priorityClassName: system-cluster-critical
      dnsPolicy: Default
      tolerations: [{operator: Exists}]
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {k8s-app: kube-dns}}}
      containers:
      - name: coredns
        image: $coredns_image
        imagePullPolicy: Never
        args: [-conf, /etc/coredns/Corefile]
        ports:
        - {name: dns, containerPort: 53, protocol: UDP}
        - {name: dns-tcp, containerPort: 53, protocol: TCP}
        resources: {requests: {cpu: 50m, memory: 40Mi}, limits: {memory: 170Mi}}
        readinessProbe: {httpGet: {path: /ready, port: 8181}, periodSeconds: 2}
        livenessProbe: {httpGet: {path: /health, port: 8080}, initialDelaySeconds: 30}
        volumeMounts: [{name: config, mountPath: /etc/coredns, readOnly: true}]
      volumes: [{name: config, configMap: {name: coredns}}]
---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  clusterIP: $dns_ip
  selector: {k8s-app: kube-dns}
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: local-path-config, namespace: kube-system}
data:
  config.json: |-
    {"cmdTimeoutSeconds": 120, "sharedFileSystemPath": "$volumes_path"}
  setup: |-
    #!/bin/sh
    set -eu
    mkdir -m 0777 -p "\$VOL_DIR"
  teardown: |-
    #!/bin/sh
    set -eu
    rm -rf "\$VOL_DIR"
  helperPod.yaml: |-
    apiVersion: v1
    kind: Pod
    metadata:
      name: helper-pod
    spec:
      priorityClassName: system-node-critical
      containers:
      - name: helper-pod
        image: bigdata-local/debian-base:$DEBIAN_SUITE
        imagePullPolicy: Never
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: $storage_class
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: bigdata.local/shared-path
reclaimPolicy: Delete
volumeBindingMode: Immediate
EOF
}

dns_check() {
  kc -n kube-system delete pod dns-check --ignore-not-found --wait=false >/dev/null 2>&1 || true
  kc -n kube-system wait pod dns-check --for=delete --timeout=30s >/dev/null 2>&1 || true
  kc -n kube-system run dns-check --image "bigdata-local/debian-base:$DEBIAN_SUITE" --image-pull-policy Never \
    --restart Never --command -- getent hosts kubernetes.default.svc.cluster.local kube-dns.kube-system >/dev/null
  local phase deadline=$(( $(date +%s) + 120 ))
  while :; do
    phase=$(kc -n kube-system get pod dns-check -o jsonpath='{.status.phase}' 2>/dev/null || true)
    [ "$phase" = Succeeded ] && break
    # a pod that fails because CoreDNS is not serving yet: try again
    if [ "$phase" = Failed ]; then
      kc -n kube-system delete pod dns-check --wait=true >/dev/null 2>&1 || true
      kc -n kube-system run dns-check --image "bigdata-local/debian-base:$DEBIAN_SUITE" --image-pull-policy Never \
        --restart Never --command -- getent hosts kubernetes.default.svc.cluster.local kube-dns.kube-system >/dev/null
    fi
    [ "$(date +%s)" -lt "$deadline" ] || {
      kc -n kube-system get pods -o wide >&2 || true
      kc -n kube-system logs dns-check >&2 || true
      die "cluster DNS did not answer in 120 s"
    }
    sleep 1
  done
  log "DNS answers: $(kc -n kube-system logs dns-check | tr -s ' \n' ' ')"
  kc -n kube-system delete pod dns-check --wait=false >/dev/null
}

topology() {
  local i sep=""
  printf '{"kubeconfig": "%s", "kubectl": "%s", "apiServer": "https://127.0.0.1:%s", "storageClass": "%s", "nodePortHost": "127.0.0.1", "nodePorts": "%s", ' \
    "$kubeconfig" "$bin/kubectl" "$api_port" "$storage_class" "$node_ports"
  printf '"network": "%s", "serviceCidr": "%s", "podCidr": "%s", "clusterDns": "%s", "sharedVolumes": "%s", ' \
    "$network" "$service_cidr" "$cluster_cidr" "$dns_ip" "$state/volumes"
  printf '"control": {"container": "%s", "address": "%s"}, "nodes": [' "$control" "$(address "$control")"
  for i in $(seq 1 "$nodes"); do
    printf '%s{"name": "node-%s", "container": "%s", "address": "%s", "podCidr": "%s", "labels": %s}' \
      "$sep" "$i" "$(node_container "$i")" "$(address "$(node_container "$i")")" "$(pod_cidr "$i")" "$(node_labels_json "$i")"
    sep=", "
  done
  printf ']}\n'
}

# The volumes' data go with the cluster (their PersistentVolumes lived in its etcd). Pods write as any uid.
clean_volumes() {
  [ -d "$state/volumes" ] || return 0
  find "$state/volumes" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
}

down() {
  local c ids
  ids=$(docker ps -aq --no-trunc --filter "label=$label")
  for c in $(docker ps -a --filter "label=$label" --format '{{.Names}}'); do docker rm -f "$c" >/dev/null 2>&1 || true; done
  # cgroups the kubelets made under their containers' own (normally removed with the container)
  for c in $ids; do
    find /sys/fs/cgroup/*/docker/"$c" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  docker network rm "$network" >/dev/null 2>&1 || true
  clean_volumes
  rm -f "$STATE_FILE" "$kubeconfig"
}

case "${1:-}" in
  up)
    t0=$(now)
    t=$(now); bin=$(bash "$repo/bootstrap/kubernetes/install.sh" | tail -n1); log "binaries in $(since "$t") ($bin)"
    # shellcheck disable=SC1091
    source "$(dirname "$bin")/versions.env"
    pause_image=bigdata-local/k8s-pause:$PAUSE_VERSION
    coredns_image=bigdata-local/k8s-coredns:$COREDNS_VERSION
    t=$(now); bash "$repo/bootstrap/docker/images.sh" k8s-node >&2; log "node images in $(since "$t")"
    make_pki; write_kubeconfig
    t=$(now); start_cluster; wait_cluster; log "cluster up in $(since "$t")"
    label_nodes
    t=$(now); load_images; log "images in every node in $(since "$t")"
    t=$(now); addons; dns_check; log "DNS and storage in $(since "$t")"
    mkdir -p "$(dirname "$STATE_FILE")"
    topology | tee "$STATE_FILE"
    log "ready in $(since "$t0"); kubectl: $bin/kubectl --kubeconfig $kubeconfig"
    ;;
  down) down; log "cluster removed (image caches kept in volumes $prefix-node-*-containerd; 'purge' removes them)" ;;
  purge)
    down
    for v in $(docker volume ls -q | grep "^$prefix-node-[0-9]*-containerd$" || true); do docker volume rm "$v" >/dev/null 2>&1 || true; done
    rm -rf "$state"
    log "cluster, its image caches and certificates removed"
    ;;
  *) sed -n '2,22p' "$0" >&2; exit 2 ;;
esac
