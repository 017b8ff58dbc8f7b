#!/bin/bash
# Entrypoint of bigdata-local/k8s-node (test/kubernetes/cluster.sh starts it): one Kubernetes host.
#
#   k8s-entrypoint.sh control   etcd, kube-apiserver, kube-controller-manager, kube-scheduler and the storage
#                               provisioner (local-path-provisioner, shared-filesystem mode)
#   k8s-entrypoint.sh node      containerd, kubelet, kube-proxy, a bridge CNI network for this node's pod subnet
#                               and routes to the other nodes' pod subnets
#
# Each daemon runs under a small supervisor loop (restarted when it exits) and logs to /var/log/k8s/NAME.log.
# Settings come from the environment (cluster.sh sets them all):
#   K8S_API_SERVER     URL of the API server as the nodes reach it        (https://bigdata-k8s-control:6443)
#   K8S_SERVICE_CIDR   Service addresses                                    (10.96.0.0/16)
#   K8S_CLUSTER_CIDR   all pod addresses                                    (10.244.0.0/16)
#   K8S_NODE_PORTS     the NodePort range (the API server allows only it)   (30000-30049)
#   K8S_POD_CIDR       node: this node's pod subnet                         (10.244.<i>.0/24)
#   K8S_PEERS          node: "SUBNET=ADDRESS ..." routes to the other nodes' pod subnets
#   K8S_DNS_IP         node: the cluster DNS Service address                (10.96.0.10)
#   K8S_PAUSE_IMAGE    node: the pod sandbox image (imported into containerd by cluster.sh)
#   K8S_UPSTREAM_DNS   node: name servers for names outside the cluster (the machine's), may be empty
# Certificates are read from /etc/kubernetes/pki (mounted read-only): ca.crt, apiserver.{crt,key},
# sa.{key,pub}, admin.{crt,key} and, for a node, <hostname>.{crt,key}.
set -euo pipefail
role=${1:?usage: k8s-entrypoint.sh control|node}
pki=/etc/kubernetes/pki
logs=/var/log/k8s
name=$(hostname)
mkdir -p "$logs" /etc/kubernetes

say() { echo "[k8s-node $name] $*"; }
ip4() { ip -4 -o addr show dev eth0 | awk '{ split($4, a, "/"); print a[1]; exit }'; }

# supervise NAME CMD...: run CMD in the background, again whenever it exits (1 s apart).
supervise() {
  local n=$1; shift
  (
    while true; do
      echo "=== $(date -u +%FT%TZ) starting $n" >>"$logs/$n.log"
      "$@" >>"$logs/$n.log" 2>&1 || true
      echo "=== $(date -u +%FT%TZ) $n exited" >>"$logs/$n.log"
      sleep 1
    done
  ) &
  say "started $n (log: $logs/$n.log)"
}

# kubeconfig FILE CERT SERVER: a kubeconfig that authenticates with $pki/CERT.{crt,key}.
kubeconfig() {
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: bigdata
  cluster: {certificate-authority: $pki/ca.crt, server: "$3"}
users:
- name: $2
  user: {client-certificate: $pki/$2.crt, client-key: $pki/$2.key}
contexts:
- name: bigdata
  context: {cluster: bigdata, user: $2}
current-context: bigdata
EOF
}

control() {
  local ip
  ip=$(ip4)
  kubeconfig /etc/kubernetes/admin.kubeconfig admin https://127.0.0.1:6443
  mkdir -p /var/lib/etcd
  supervise etcd etcd --name control --data-dir /var/lib/etcd \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster control=http://127.0.0.1:2380 --quota-backend-bytes 2147483648
  supervise kube-apiserver kube-apiserver --advertise-address "$ip" --bind-address 0.0.0.0 --secure-port 6443 \
    --etcd-servers http://127.0.0.1:2379 \
    --client-ca-file "$pki/ca.crt" --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --kubelet-client-certificate "$pki/admin.crt" --kubelet-client-key "$pki/admin.key" \
    --kubelet-preferred-address-types InternalIP \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-cluster-ip-range "$K8S_SERVICE_CIDR" --service-node-port-range "$K8S_NODE_PORTS" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction --allow-privileged=true \
    --profiling=false --event-ttl 1h
  until kubectl --kubeconfig /etc/kubernetes/admin.kubeconfig get --raw /readyz >/dev/null 2>&1; do sleep 0.5; done
  say "API server ready"
  supervise kube-controller-manager kube-controller-manager --kubeconfig /etc/kubernetes/admin.kubeconfig \
    --authentication-kubeconfig /etc/kubernetes/admin.kubeconfig --authorization-kubeconfig /etc/kubernetes/admin.kubeconfig \
    --root-ca-file "$pki/ca.crt" --service-account-private-key-file "$pki/sa.key" \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --service-cluster-ip-range "$K8S_SERVICE_CIDR" --cluster-cidr "$K8S_CLUSTER_CIDR" --allocate-node-cidrs=false \
    --use-service-account-credentials=true --leader-elect=false --profiling=false \
    --node-monitor-grace-period 20s
  supervise kube-scheduler kube-scheduler --kubeconfig /etc/kubernetes/admin.kubeconfig \
    --authentication-kubeconfig /etc/kubernetes/admin.kubeconfig --authorization-kubeconfig /etc/kubernetes/admin.kubeconfig \
    --leader-elect=false --profiling=false
  # The provisioner's settings are in cluster.sh's storage manifest (ConfigMap kube-system/local-path-config);
  # it reads config.json and helperPod.yaml from there once it exists.
  supervise local-path-provisioner sh -c '
    until kubectl --kubeconfig /etc/kubernetes/admin.kubeconfig -n kube-system get configmap local-path-config >/dev/null 2>&1; do sleep 2; done
    exec local-path-provisioner --debug start --kubeconfig /etc/kubernetes/admin.kubeconfig \
      --namespace kube-system --configmap-name local-path-config --provisioner-name bigdata.local/shared-path \
      --service-account-name default --helper-image bigdata-local/debian-base:bookworm'
}

node() {
  local ip cg peer
  ip=$(ip4)
  # The kubelet reports a machine ID; a container has none of its own.
  [ -s /etc/machine-id ] || od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >/etc/machine-id
  # Pod volumes mounted by the kubelet must propagate into the containers' mount namespaces.
  mount --make-rshared /
  # /proc/sys is read-only in a container. Network settings are per network namespace (this container's own):
  # make that part writable for kube-proxy. The kubelet insists on a few kernel-wide settings that must not
  # change the machine: show it the values it wants, on files of our own bound over the /proc entries.
  if ! touch /proc/sys/net/ipv4/ip_forward 2>/dev/null; then
    mount --bind /proc/sys/net /proc/sys/net && mount -o remount,bind,rw /proc/sys/net
  fi
  mkdir -p /etc/kubernetes/sysctl
  local kv
  for kv in vm/overcommit_memory=1 vm/panic_on_oom=0 kernel/panic=10 kernel/panic_on_oops=1 \
            kernel/keys/root_maxkeys=1000000 kernel/keys/root_maxbytes=25000000; do
    local key=${kv%%=*} want=${kv#*=} file
    [ "$(cat "/proc/sys/$key")" = "$want" ] && continue
    file=/etc/kubernetes/sysctl/${key//\//.}
    echo "$want" >"$file"
    mount --bind "$file" "/proc/sys/$key"
  done
  echo 1 >/proc/sys/net/ipv4/ip_forward
  echo 1 >/proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null || say "warning: bridge-nf-call-iptables not settable"

  # Routes to the other nodes' pod subnets (one flat pod network), and NAT for pods talking to anything else.
  for peer in ${K8S_PEERS:-}; do ip route replace "${peer%%=*}" via "${peer#*=}"; done
  iptables -t nat -C POSTROUTING -s "$K8S_POD_CIDR" ! -d "$K8S_CLUSTER_CIDR" -j MASQUERADE 2>/dev/null ||
    iptables -t nat -A POSTROUTING -s "$K8S_POD_CIDR" ! -d "$K8S_CLUSTER_CIDR" -j MASQUERADE

  mkdir -p /etc/cni/net.d /etc/containerd /var/lib/kubelet
  cat >/etc/cni/net.d/10-bigdata.conflist <<EOF
{
  "cniVersion": "0.4.0",
  "name": "bigdata",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "$K8S_POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  # restrict_oom_score_adj: the kubelet asks for a negative OOM score on sandboxes, which needs CAP_SYS_RESOURCE
  # (nothing here has it): runc then fails every pod. With it, containerd clamps the score instead.
  cat >/etc/containerd/config.toml <<EOF
version = 2
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$K8S_PAUSE_IMAGE"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "/etc/cni/net.d"
EOF
  rm -f /run/containerd/containerd.sock
  supervise containerd containerd --config /etc/containerd/config.toml
  until ctr version >/dev/null 2>&1; do sleep 0.2; done

  # Pods' cgroups nest under this container's own (cgroup v1, cgroupfs driver): they go when it goes.
  cg=$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
  kubeconfig /etc/kubernetes/kubelet.kubeconfig "$name" "$K8S_API_SERVER"
  kubeconfig /etc/kubernetes/kube-proxy.kubeconfig admin "$K8S_API_SERVER"
  # Pods resolve names outside the cluster through CoreDNS, which forwards to this file's servers: the
  # machine's (cluster.sh passes them; Docker's 127.0.0.11 is not reachable from a pod).
  local ns
  : >/etc/kubernetes/resolv.conf
  for ns in ${K8S_UPSTREAM_DNS:-}; do echo "nameserver $ns" >>/etc/kubernetes/resolv.conf; done
  cat >/etc/kubernetes/kubelet.yaml <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
cgroupDriver: cgroupfs
cgroupRoot: $cg
failCgroupV1: false
failSwapOn: false
clusterDNS: [$K8S_DNS_IP]
clusterDomain: cluster.local
resolvConf: /etc/kubernetes/resolv.conf
podCIDR: $K8S_POD_CIDR
# A test machine's disk is often fuller than a node's defaults allow: no evictions, no image garbage collection
# (the platform's images are imported, never pulled back).
evictionHard: {memory.available: 100Mi, nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
EOF
  supervise kubelet kubelet --config /etc/kubernetes/kubelet.yaml --kubeconfig /etc/kubernetes/kubelet.kubeconfig \
    --hostname-override "$name" --node-ip "$ip"
  cat >/etc/kubernetes/kube-proxy.yaml <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: /etc/kubernetes/kube-proxy.kubeconfig}
mode: iptables
clusterCIDR: $K8S_CLUSTER_CIDR
hostnameOverride: $name
conntrack: {maxPerCore: 0}
iptables: {localhostNodePorts: false}
EOF
  supervise kube-proxy kube-proxy --config /etc/kubernetes/kube-proxy.yaml
}

case "$role" in
  control) control ;;
  node) node ;;
  *) echo "usage: k8s-entrypoint.sh control|node" >&2; exit 2 ;;
esac
say "up: $(ip4)"
# Stop the daemons on `docker stop` (TERM to this shell); otherwise wait on them forever.
trap 'trap - TERM INT; say "stopping"; kill -TERM 0 2>/dev/null; exit 0' TERM INT
wait
