#!/usr/bin/env bash
# Builds the test cluster's binaries from the Go module proxy, cached outside
# the repo under ${INCLUSTER_CACHE:-$HOME/.cache/incluster}. Skips whatever is
# already built. Never commit the outputs; commit the wrapper go.mod/go.sum.
#
#   Kubernetes  test/cluster/go/k8s      -> k8s/$K8S_VERSION/bin/{kube-apiserver,...,kubectl}
#   etcd        test/cluster/go/etcd     -> etcd/$ETCD_VERSION/bin/etcd
#   CoreDNS     test/cluster/go/coredns  -> coredns/$COREDNS_VERSION/bin/coredns
#   pause       k8s.io/kubernetes build/pause/linux/pause.c (gcc -static) -> pause/pause
#   kwok        test/cluster/go/kwok     -> kwok/$KWOK_VERSION/bin/kwok + stages/ (its own stage set)
#
# Usage: test/cluster/build-binaries.sh [k8s|etcd|coredns|pause|kwok]...   (default: all)
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

export GOFLAGS=-mod=mod
GO="${GO:-go}"
if ! command -v "$GO" >/dev/null && [[ -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go; fi
command -v "$GO" >/dev/null || die "go not found in PATH (need Go >= 1.25; the machine image ships /usr/local/go)"
gov=$("$GO" env GOVERSION); gov=${gov#go}
[[ "$(printf '%s\n' 1.25 "$gov" | sort -V | head -1)" == 1.25 ]] || die "Go $gov is too old (CoreDNS $COREDNS_VERSION needs >= 1.25)"

K8S_CMDS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)

k8s_ldflags() {
  local v="$K8S_VERSION" maj min p flags="-s -w"
  maj="${v#v}"; maj="${maj%%.*}"; min="${v#v*.}"; min="${min%%.*}"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $p.gitVersion=$v -X $p.gitMajor=$maj -X $p.gitMinor=$min -X $p.gitTreeState=clean"
    flags+=" -X $p.buildDate=2026-01-01T00:00:00Z -X $p.gitCommit=0000000000000000000000000000000000000000"
  done
  echo "$flags"
}

have_all() { local d="$1" b; shift; for b in "$@"; do [[ -x "$d/$b" ]] || return 1; done; }

build_k8s() {
  if have_all "$K8S_BIN" "${K8S_CMDS[@]}"; then log "k8s $K8S_VERSION: cached in $K8S_BIN"; return 0; fi
  local pkgs=() c t0=$SECONDS
  for c in "${K8S_CMDS[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  mkdir -p "$K8S_BIN"
  log "building Kubernetes $K8S_VERSION (${K8S_CMDS[*]}) -> $K8S_BIN (cold: ~10 min on 2 cores)"
  (cd "$CLUSTER_DIR/go/k8s" && "$GO" build -trimpath -ldflags "$(k8s_ldflags)" -o "$K8S_BIN/" "${pkgs[@]}")
  log "k8s built in $((SECONDS - t0))s"
}

# A single-binary Go wrapper module (test/cluster/go/NAME) built to DIR/NAME, unless cached.
build_go_main() { # NAME VERSION DIR
  local name="$1" version="$2" dir="$3" t0=$SECONDS
  if have_all "$dir" "$name"; then log "$name $version: cached in $dir"; return 0; fi
  mkdir -p "$dir"
  log "building $name $version -> $dir"
  (cd "$CLUSTER_DIR/go/$name" && CGO_ENABLED=0 "$GO" build -trimpath -ldflags "-s -w" -o "$dir/$name" .)
  log "$name built in $((SECONDS - t0))s"
}
build_etcd() { build_go_main etcd "$ETCD_VERSION" "$ETCD_BIN"; }
build_coredns() { build_go_main coredns "$COREDNS_VERSION" "$COREDNS_BIN"; }

# The sandbox ("pause") binary: upstream's pause.c, from the k8s.io/kubernetes
# module already in the module cache (downloaded for the k8s build).
build_pause() {
  if [[ -x "$PAUSE_DIR/pause" ]]; then log "pause: cached in $PAUSE_DIR"; return 0; fi
  local src
  src="$(cd "$CLUSTER_DIR/go/k8s" && "$GO" mod download -json k8s.io/kubernetes | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')/build/pause/linux/pause.c"
  [[ -f "$src" ]] || die "pause.c not found at $src"
  command -v gcc >/dev/null || ensure_packages gcc libc6-dev
  mkdir -p "$PAUSE_DIR"
  gcc -Os -Wall -Werror -static -DVERSION=v3.10.1-incluster -o "$PAUSE_DIR/pause.tmp" "$src"
  strip "$PAUSE_DIR/pause.tmp" 2>/dev/null || true
  mv "$PAUSE_DIR/pause.tmp" "$PAUSE_DIR/pause"
  log "pause built from $src"
}

# kwok for the scale mode (lib/kwok.sh), and the stage files it ships: passing any Stage to kwok
# replaces all of its defaults, so the scale mode starts from kwok's own set.
build_kwok() {
  local t0=$SECONDS dir
  if ! have_all "$KWOK_BIN" kwok; then
    mkdir -p "$KWOK_BIN"
    log "building kwok $KWOK_VERSION -> $KWOK_BIN"
    (cd "$CLUSTER_DIR/go/kwok" && CGO_ENABLED=0 "$GO" build -trimpath -ldflags "-s -w" -o "$KWOK_BIN/kwok" sigs.k8s.io/kwok/cmd/kwok)
    log "kwok built in $((SECONDS - t0))s"
  else
    log "kwok $KWOK_VERSION: cached in $KWOK_BIN"
  fi
  [[ -f "$KWOK_STAGES/pod-complete.yaml" ]] && return 0
  dir="$(cd "$CLUSTER_DIR/go/kwok" && "$GO" mod download -json sigs.k8s.io/kwok | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  mkdir -p "$KWOK_STAGES"
  cp "$dir"/kustomize/stage/node/fast/node-initialize.yaml "$dir"/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    "$dir"/kustomize/stage/pod/fast/pod-{ready,complete,delete}.yaml "$KWOK_STAGES/"
}

targets=("$@")
((${#targets[@]})) || targets=(k8s etcd coredns pause kwok)
for t in "${targets[@]}"; do
  case "$t" in
    k8s) build_k8s ;; etcd) build_etcd ;; coredns) build_coredns ;; pause) build_pause ;; kwok) build_kwok ;;
    *) die "unknown target $t (k8s|etcd|coredns|pause|kwok)" ;;
  esac
done
