#!/usr/bin/env bash
# Builds the Debian bookworm root filesystem shared by the node and go runner
# images (minbase + git + ca-certificates, nothing of Python) and writes it as
# a tar:   rootfs-debian-slim.sh OUT.tar
#
# The same steps as rootfs-debian.sh (jobuser uid 1000, /workspace, system
# gitconfig) with a shorter package list. It shares rootfs-debian.sh's .deb
# cache, so after the python image's rootfs it downloads nothing. This file's
# content is part of the node and go images' recipe hash (build.sh).
set -euo pipefail

OUT="$1"
CACHE="${INCLUSTER_CACHE:-$HOME/.cache/incluster}"
SUITE=bookworm
# git for the clone container and for tests that print the commit or use
# git; ca-certificates for any TLS a test does. The toolchains (Node, Go) are
# layers of their own on top (build.sh, Dockerfile.node, Dockerfile.go).
PACKAGES=git,ca-certificates

# The Debian mirror this machine already uses (as in rootfs-debian.sh).
mirror() {
  if [[ -n "${INCLUSTER_DEBIAN_MIRROR:-}" ]]; then echo "$INCLUSTER_DEBIAN_MIRROR"; return; fi
  local m
  m="$(grep -hsE '^\s*URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v -- '-security' | grep -i debian | head -1 || true)"
  [[ -z "$m" ]] && m="$(grep -hsE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}' | grep -v -- '-security' | grep -i debian | head -1 || true)"
  echo "${m:-http://deb.debian.org/debian}"
}

WORK="$(mktemp -d "$CACHE/images/work.XXXXXX")"
ROOT="$WORK/rootfs"
# debootstrap mounts proc/sys inside the target, and the target is a tmpfs: never leave them behind.
cleanup() {
  local m
  for m in $(awk -v r="$ROOT" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r); do
    umount -l "$m" || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# dpkg fsyncs every file it unpacks: on a tmpfs that costs nothing (debootstrap
# 88 s on this machine's disk, 34 s on tmpfs). The tar is written to disk.
mkdir -p "$ROOT"
mount -t tmpfs -o size=2g,mode=0755 incluster-rootfs "$ROOT" ||
  echo "[rootfs-debian-slim] could not mount a tmpfs: building on disk" >&2

MIRROR="$(mirror)"
mkdir -p "$CACHE/images/debs"
echo "[rootfs-debian-slim] debootstrap --variant=minbase $SUITE from $MIRROR (+ $PACKAGES)" >&2
t0=$SECONDS
debootstrap --variant=minbase --include="$PACKAGES" --cache-dir="$CACHE/images/debs" \
  "$SUITE" "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 || {
  tail -30 "$WORK/debootstrap.log" >&2; exit 1; }
echo "[rootfs-debian-slim] debootstrap took $((SECONDS - t0))s" >&2

chroot "$ROOT" /bin/sh -eu <<'SH'
groupadd -g 1000 jobuser
useradd -m -u 1000 -g 1000 -s /bin/bash jobuser
mkdir -p /workspace
chown 1000:1000 /workspace
cat >/etc/gitconfig <<'GIT'
[user]
	name = E2E Test Agent
	email = e2e@incluster.local
[init]
	defaultBranch = main
[safe]
	directory = *
GIT
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
       /usr/share/doc/* /usr/share/man/* /usr/share/info/* /usr/share/locale/* \
       /tmp/* /var/tmp/*
: >/etc/machine-id
SH

tar --numeric-owner --xattrs -C "$ROOT" --exclude=./dev/* --exclude=./proc/* --exclude=./sys/* \
    -cf "$OUT.tmp" .
mv "$OUT.tmp" "$OUT"
echo "[rootfs-debian-slim] wrote $OUT ($(du -h "$OUT" | cut -f1))" >&2
