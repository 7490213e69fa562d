#!/usr/bin/env bash
# Builds the test cluster's base images WITHOUT any registry to pull from and
# pushes them to the local registry (test/cluster/registry.sh, 127.0.0.1:5000).
#
#   test/cluster/images/build.sh          build what is missing or changed
#   INCLUSTER_IMAGES_FORCE=1 ... build.sh rebuild everything
#
# Images (names are a contract used by examples/, tests and incluster itself):
#   127.0.0.1:5000/incluster/python:3.11-pytest  debootstrap bookworm + python3 pytest requests pip git, uid 1000
#   127.0.0.1:5000/incluster/git:2               same rootfs layer, HOME=/tmp, uid 1000 (clone init container)
#   127.0.0.1:5000/incluster/busybox:1           busybox-static, uid 1000 (fault tests)
#
# Caching: each image is also pushed as :r-<recipe hash>, the hash covering the
# files that define it (rootfs script + Dockerfile). When the registry already
# has both tags on the same digest, nothing is done (warm run: a few HTTP HEADs).
# When a recipe file changes, its hash changes and that image is rebuilt.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=test/cluster/images/podman-env.sh
. "$HERE/podman-env.sh"
REG="$INCLUSTER_REGISTRY"
CACHE="$INCLUSTER_CACHE"
FORCE="${INCLUSTER_IMAGES_FORCE:-0}"
mkdir -p "$CACHE/images"

log() { printf '[images %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
T_START=$SECONDS

# One build at a time (cluster up and a developer may both call this).
exec 9>"$CACHE/images/build.lock"
flock 9

# Tools from Debian, installed only when missing. Services are not started by
# package installs on this machine (policy-rc.d exits 101).
need=()
for p in podman buildah runc debootstrap curl; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if ((${#need[@]})); then
  log "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${need[@]}" >&2
fi

"$HERE/../registry.sh" up

hash_files() { cat "$@" | sha256sum | cut -c1-12; }
DEBIAN_ROOTFS_HASH="$(hash_files "$HERE/rootfs-debian.sh")"
BUSYBOX_ROOTFS_HASH="$(hash_files "$HERE/rootfs-busybox.sh")"
recipe() { # recipe <rootfs hash> <Dockerfile>
  { echo "$1"; cat "$2"; } | sha256sum | cut -c1-12
}

# Digest of repo:tag in the registry, empty when absent.
remote_digest() {
  curl -fsS -m 5 -o /dev/null -D - \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -I "http://$REG/v2/$1/manifests/$2" 2>/dev/null |
    tr -d '\r' | awk 'tolower($1)=="docker-content-digest:" {print $2}' || true
}

# Import a rootfs tar as a local base image (cached by its recipe hash).
base_image() { # base_image <kind> <hash> -> prints image name
  local kind="$1" hash="$2" name="localhost/incluster-rootfs/$1:$2"
  if ! podman image exists "$name"; then
    local tar="$CACHE/images/rootfs-$kind-$hash.tar" t0=$SECONDS
    log "building $kind rootfs ($tar)"
    "$HERE/rootfs-$kind.sh" "$tar"
    log "$kind rootfs built in $((SECONDS - t0))s; importing as $name"
    podman import --quiet "$tar" "$name" >/dev/null
    # The tar is now in podman's storage; do not keep two copies on disk.
    rm -f "$tar"
  fi
  echo "$name"
}

smoke() { # smoke <image> <shell command>: run it as the image's user, no network
  log "smoke test $1: $2"
  podman run --rm --network none "$1" sh -c "$2" 2>&1 | sed 's/^/    /' >&2
}

build() { # build <short name> <repo> <tag> <rootfs kind> <rootfs hash> <smoke cmd>
  local short="$1" repo="$2" tag="$3" kind="$4" rhash="$5" check="$6"
  local dockerfile="$HERE/Dockerfile.$short" r t0=$SECONDS
  r="r-$(recipe "$rhash" "$dockerfile")"
  KEEP+=("$REG/$repo:$r" "$REG/$repo:$tag" "localhost/incluster-rootfs/$kind:$rhash")
  local image="$REG/$repo:$tag" pinned="$REG/$repo:$r"
  local d1 d2
  d1="$(remote_digest "$repo" "$tag")"; d2="$(remote_digest "$repo" "$r")"
  if [[ "$FORCE" != 1 && -n "$d1" && "$d1" == "$d2" ]]; then
    log "$image is current ($r, $d1): skipped"
    return 0
  fi
  if [[ "$FORCE" == 1 ]] || ! podman image exists "$pinned"; then
    local base; base="$(base_image "$kind" "$rhash")"
    local ctx; ctx="$(mktemp -d)"
    log "podman build $image ($r) FROM $base"
    podman build --quiet --pull=never --build-arg BASE="$base" --build-arg RECIPE="$r" \
      -f "$dockerfile" -t "$image" -t "$pinned" "$ctx" >/dev/null
    rmdir "$ctx"
    smoke "$image" "$check"
  else
    # Built earlier (e.g. before the registry data was removed): push again.
    podman tag "$pinned" "$image"
  fi
  log "pushing $image and $pinned"
  podman push --quiet "$image" >&2
  podman push --quiet "$pinned" >&2
  log "$image ready ($(podman image inspect --format '{{.Size}}' "$image" | numfmt --to=iec) uncompressed) in $((SECONDS - t0))s"
}

# Local images of older recipes are superseded: remove them so podman's
# storage holds one copy of each image (the registry keeps its old r-* tags).
prune_local() {
  local img removed=0
  while read -r img; do
    [[ " ${KEEP[*]} " == *" $img "* ]] && continue
    podman rmi "$img" >/dev/null 2>&1 && removed=$((removed + 1))
  done < <(podman images --format '{{.Repository}}:{{.Tag}}' |
           grep -E "^($REG/incluster/(python|git|busybox)|localhost/incluster-rootfs/(debian|busybox)):" || true)
  podman image prune -f >/dev/null 2>&1 || true
  ((removed)) && log "removed $removed superseded local image tag(s)"
  return 0
}

KEEP=()
# The smoke commands are single-quoted on purpose: they expand inside the container.
# shellcheck disable=SC2016
build python incluster/python 3.11-pytest debian "$DEBIAN_ROOTFS_HASH" \
  'echo "uid=$(id -u) home=$HOME pwd=$(pwd)"; python --version; python -m pytest --version; python -c "import requests; print(\"requests\", requests.__version__)"; pip --version; git --version; test -w /workspace && echo workspace writable'
# shellcheck disable=SC2016
build git incluster/git 2 debian "$DEBIAN_ROOTFS_HASH" \
  'echo "uid=$(id -u) home=$HOME"; git --version; git config --global core.abbrev 12 && echo HOME writable'
# shellcheck disable=SC2016
build busybox incluster/busybox 1 busybox "$BUSYBOX_ROOTFS_HASH" \
  'echo "uid=$(id -u)"; busybox | head -1; sleep 0; (exit 3); echo "exit code seen: $?"'

prune_local
log "done in $((SECONDS - T_START))s; registry catalog: $(curl -fsS -m 5 "http://$REG/v2/_catalog")"
