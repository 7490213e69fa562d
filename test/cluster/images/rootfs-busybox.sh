#!/usr/bin/env bash
# Builds a tiny busybox root filesystem (for fault tests: exit codes, sleep,
# memory) as a tar:   rootfs-busybox.sh OUT.tar
# busybox-static comes from the Debian mirror via apt (no registry needed).
set -euo pipefail

OUT="$1"
CACHE="${INCLUSTER_CACHE:-$HOME/.cache/incluster}"
WORK="$(mktemp -d "$CACHE/images/work.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/rootfs"

# Download the .deb rather than reading the host's /bin/busybox: the image must
# not depend on what happens to be installed on the build machine.
(cd "$WORK" && apt-get download busybox-static >/dev/null 2>&1) || {
  apt-get -o DPkg::Lock::Timeout=600 update >/dev/null
  (cd "$WORK" && apt-get download busybox-static >/dev/null)
}
dpkg-deb -x "$WORK"/busybox-static_*.deb "$WORK/deb"

mkdir -p "$ROOT"/{bin,etc,tmp,proc,sys,dev}
chmod 1777 "$ROOT/tmp"
cp "$WORK/deb/bin/busybox" "$ROOT/bin/busybox"
# One symlink per applet (sh, sleep, dd, ...), made by busybox itself.
chroot "$ROOT" /bin/busybox --install -s /bin
cat >"$ROOT/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
jobuser:x:1000:1000:jobuser:/tmp:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat >"$ROOT/etc/group" <<'G'
root:x:0:
jobuser:x:1000:
nogroup:x:65534:
G
tar --numeric-owner -C "$ROOT" --exclude=./dev/* --exclude=./proc/* --exclude=./sys/* -cf "$OUT.tmp" .
mv "$OUT.tmp" "$OUT"
echo "[rootfs-busybox] wrote $OUT ($(du -h "$OUT" | cut -f1), $(ls "$ROOT/bin" | wc -l) applets)" >&2
