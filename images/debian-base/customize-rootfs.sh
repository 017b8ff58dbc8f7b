#!/usr/bin/env bash
# Turns a fresh `debootstrap --variant=minbase` tree into a container base image rootfs.
# Called by bootstrap/docker/images.sh as:  customize-rootfs.sh ROOTFS_DIR < sources.list
# stdin: the apt sources for the image, one-line format, derived at run time from THIS machine's apt sources
# (so `RUN apt-get install ...` in later builds uses the same mirror). Nothing here names a mirror.
set -euo pipefail
rootfs="$1"
[ -d "$rootfs/etc/apt" ] || { echo "customize-rootfs.sh: $rootfs is not a Debian tree" >&2; exit 1; }

# apt sources: exactly the machine's Debian entries for this suite.
cat > "$rootfs/etc/apt/sources.list"
rm -f "$rootfs"/etc/apt/sources.list.d/*

# Same apt/dpkg hygiene as the official debian:*-slim images.
cat > "$rootfs/etc/apt/apt.conf.d/docker-clean" <<'CONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CONF
cat > "$rootfs/etc/apt/apt.conf.d/docker-no-languages" <<'CONF'
Acquire::Languages "none";
CONF
cat > "$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes" <<'CONF'
Acquire::GzipIndexes "true";
Acquire::CompressionTypes::Order:: "gz";
CONF
cat > "$rootfs/etc/apt/apt.conf.d/docker-no-recommends" <<'CONF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
CONF
mkdir -p "$rootfs/etc/dpkg/dpkg.cfg.d"
cat > "$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'CONF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CONF
# Java's postinst registers man pages with update-alternatives: the directory must exist.
mkdir -p "$rootfs/usr/share/man/man1"
# Never start services from package postinst scripts inside images.
cat > "$rootfs/usr/sbin/policy-rc.d" <<'CONF'
#!/bin/sh
exit 101
CONF
chmod 0755 "$rootfs/usr/sbin/policy-rc.d"

# Files the container runtime provides, and host leftovers.
: > "$rootfs/etc/resolv.conf"
: > "$rootfs/etc/hostname"
: > "$rootfs/etc/machine-id" 2>/dev/null || true
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin \
       "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/tmp/* "$rootfs"/var/tmp/* \
       "$rootfs"/usr/share/doc/*/changelog* "$rootfs"/usr/share/man/man[2-9] "$rootfs"/usr/share/info/* \
       "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/lib/dpkg/*-old
find "$rootfs/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete 2>/dev/null || true
find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} + 2>/dev/null || true
