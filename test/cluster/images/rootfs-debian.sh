#!/usr/bin/env bash
# Builds the Debian bookworm root filesystem shared by the python and git images
# and writes it as a tar:   rootfs-debian.sh OUT.tar
#
# Why debootstrap: no container registry is reachable, so there is no base
# image to pull; the Debian mirror is. This file's content is part of the image
# recipe hash (build.sh): editing the package list or the steps below rebuilds.
set -euo pipefail

OUT="$1"
CACHE="${INCLUSTER_CACHE:-$HOME/.cache/incluster}"
SUITE=bookworm
# python3 is 3.11 in bookworm (the image tag says so); python-is-python3 gives
# the guide's `python` command; git for the clone init container and for tests
# that print the commit; pip for `install:` steps (offline here, but present).
PACKAGES=python3,python-is-python3,python3-pytest,python3-requests,python3-pip,git,ca-certificates

# The Debian mirror this machine already uses (deb822 .sources or one-line
# sources.list), unless INCLUSTER_DEBIAN_MIRROR says otherwise.
mirror() {
  if [[ -n "${INCLUSTER_DEBIAN_MIRROR:-}" ]]; then echo "$INCLUSTER_DEBIAN_MIRROR"; return; fi
  local m
  m="$(grep -hsE '^\s*URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v -- '-security' | grep -i debian | head -1 || true)"
  [[ -z "$m" ]] && m="$(grep -hsE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}' | grep -v -- '-security' | grep -i debian | head -1 || true)"
  echo "${m:-http://deb.debian.org/debian}"
}

WORK="$(mktemp -d "$CACHE/images/work.XXXXXX")"
ROOT="$WORK/rootfs"
# debootstrap mounts proc/sys inside the target; never leave them behind.
cleanup() {
  local m
  for m in $(awk -v r="$ROOT" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r); do
    umount -l "$m" || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

MIRROR="$(mirror)"
mkdir -p "$CACHE/images/debs"
echo "[rootfs-debian] debootstrap --variant=minbase $SUITE from $MIRROR (+ $PACKAGES)" >&2
t0=$SECONDS
# --cache-dir keeps downloaded .debs so a recipe change does not re-download.
debootstrap --variant=minbase --include="$PACKAGES" --cache-dir="$CACHE/images/debs" \
  "$SUITE" "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 || {
  tail -30 "$WORK/debootstrap.log" >&2; exit 1; }
echo "[rootfs-debian] debootstrap took $((SECONDS - t0))s" >&2

# The guide's Dockerfile: non-root jobuser uid 1000 with a home, /workspace
# owned by 1000, git identity configured. System-wide gitconfig so it also
# applies when HOME=/tmp (git image) or HOME is unset.
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
	# The workspace is cloned by another container (same uid, but fsGroup
	# may change group ownership): do not let git refuse it.
	directory = *
GIT
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
       /usr/share/doc/* /usr/share/man/* /usr/share/info/* /usr/share/locale/* \
       /tmp/* /var/tmp/*
# Empty machine-id: each container is its own "machine".
: >/etc/machine-id
SH

# Device nodes, proc and sys come from the container runtime, not the image.
# --numeric-owner: uid 1000 must stay 1000 whatever the host's passwd says.
tar --numeric-owner --xattrs -C "$ROOT" --exclude=./dev/* --exclude=./proc/* --exclude=./sys/* \
    -cf "$OUT.tmp" .
mv "$OUT.tmp" "$OUT"
echo "[rootfs-debian] wrote $OUT ($(du -h "$OUT" | cut -f1))" >&2
