# shellcheck shell=bash disable=SC2154  # repo, network and label are set by the script that sources this
# What the test fixtures of several hosts on this machine share (test/swarm/multi-host.sh, test/kubernetes/cluster.sh):
# the platform's images, and a bridge network of ours whose hosts keep fixed addresses. Sourced after
# images/versions.env, with $repo, $network and $label set.

# The platform's images: what a stack with imageSet local runs, to be loaded into every host.
platform_images() {
  local crawler_version console_version
  crawler_version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$repo/crawler/package.json" | head -n1)
  console_version=$(sed -n 's/^__version__ = "\([^"]*\)"$/\1/p' "$repo/console/bigdata_console/__init__.py")
  echo "bigdata-local/mariadb:$MARIADB_VERSION bigdata-local/kafka:$KAFKA_VERSION bigdata-local/kafka-connect:$KAFKA_VERSION"
  echo "bigdata-local/spark:$SPARK_VERSION bigdata-local/crawler:$crawler_version bigdata-local/console:$console_version"
}

# Host i's fixed address: the 10+i-th of the network's subnet (Docker picks a free subnet when creating it).
host_ip() {
  local subnet base
  subnet=$(docker network inspect -f '{{(index .IPAM.Config 0).Subnet}}' "$network")
  base=${subnet%/*}
  echo "${base%.*}.$(( ${base##*.} + 10 + $1 ))"
}

# Fixed addresses need a subnet given at creation: take the one Docker picks as free, then pin it.
create_network() {
  local subnet
  docker network inspect "$network" >/dev/null 2>&1 && return 0
  docker network create "$network" >/dev/null
  subnet=$(docker network inspect -f '{{(index .IPAM.Config 0).Subnet}}' "$network")
  docker network rm "$network" >/dev/null
  docker network create --subnet "$subnet" --label "$label" "$network" >/dev/null
}
