# shellcheck shell=bash disable=SC2034  # settings used by the scripts that source this file
# Shared settings and helpers for test/cluster/{up,down,status}.
# Sourced, never executed. Everything the cluster creates on the machine lives
# under $STATE (persistent data) and $RUN (sockets, pids); both are machine-wide
# because the cluster uses fixed ports and one bridge: one cluster per machine.

CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$CLUSTER_DIR/../.." && pwd)"

K8S_VERSION="${K8S_VERSION:-v1.34.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
COREDNS_VERSION="${COREDNS_VERSION:-v1.14.7}"
KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
PAUSE_IMAGE="registry.k8s.io/pause:3.10.1"

CACHE="${INCLUSTER_CACHE:-$HOME/.cache/incluster}"
K8S_BIN="$CACHE/k8s/$K8S_VERSION/bin"
ETCD_BIN="$CACHE/etcd/$ETCD_VERSION/bin"
COREDNS_BIN="$CACHE/coredns/$COREDNS_VERSION/bin"
PAUSE_DIR="$CACHE/pause"
KWOK_BIN="$CACHE/kwok/$KWOK_VERSION/bin"
KWOK_STAGES="$CACHE/kwok/$KWOK_VERSION/stages"

STATE="${INCLUSTER_STATE:-/var/lib/incluster}"   # etcd, kubelet, containerd root, pki, logs
RUN="${INCLUSTER_RUN:-/run/incluster}"           # pidfiles, containerd socket/state
PIDS="$RUN/pids"
LOGS="$STATE/logs"
PKI="$STATE/pki"
CFG="$STATE/config"
OUT="$REPO_ROOT/.cluster"                         # kubeconfigs + env for the project (git-ignored)

NODE_NAME="incluster-node"
BRIDGE="cni0"
BRIDGE_IP="10.244.0.1"
POD_SUBNET="10.244.0.0/24"
CLUSTER_CIDR="10.244.0.0/16"
SERVICE_CIDR="10.96.0.0/16"
KUBERNETES_SVC_IP="10.96.0.1"
DNS_SVC_IP="10.96.0.10"
CLUSTER_DOMAIN="cluster.local"
APISERVER_PORT=6443
ETCD_CLIENT_PORT=12379
ETCD_PEER_PORT=12380
CONTAINERD_SOCK="$RUN/containerd/containerd.sock"
KUBELET_DIR="$STATE/kubelet"
DEMO_NAMESPACE="incluster-demo"

export PATH="$K8S_BIN:$PATH"

# One up/down at a time on this machine (several clones/engineers share it).
cluster_lock() {
  if [[ -d /run/lock && -w /run/lock ]]; then exec 8>"/run/lock/incluster-cluster.lock"; else exec 8>"/tmp/incluster-cluster.lock"; fi
  if ! flock -n 8; then
    log "another test/cluster up/down is running: waiting for it (up to 30 min)"
    flock -w 1800 8 || die "timed out waiting for the cluster lock"
  fi
}

ts() { date +%H:%M:%S; }
log() { printf '[cluster %s] %s\n' "$(ts)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Phase timing: phase NAME starts a phase and closes the previous one.
_PHASE=""; _PHASE_T0=0; _T_START=$(date +%s.%N)
declare -a _PHASE_TIMES=()
phase() {
  local now; now=$(date +%s.%N)
  if [[ -n "$_PHASE" ]]; then
    _PHASE_TIMES+=("$(awk -v a="$now" -v b="$_PHASE_T0" -v n="$_PHASE" 'BEGIN{printf "%-22s %6.1fs", n, a-b}')")
  fi
  _PHASE="$1"; _PHASE_T0=$now
  [[ -n "$1" ]] && log "== $1"
  return 0
}
phase_report() {
  phase ""
  log "phase timings:"
  local l; for l in "${_PHASE_TIMES[@]}"; do printf '    %s\n' "$l" >&2; done
  awk -v a="$(date +%s.%N)" -v b="$_T_START" 'BEGIN{printf "    %-22s %6.1fs\n", "total", a-b}' >&2
}

# --- processes, tracked by pidfile ------------------------------------------
# pid_of NAME: prints the PID if $PIDS/NAME.pid names a live process whose
# command line still contains the recorded binary (guards against PID reuse).
pid_of() {
  local f="$PIDS/$1.pid" pid exe
  [[ -f "$f" ]] || return 1
  read -r pid exe <"$f" || true
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  local cmd; cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ "$cmd" == *"$exe"* ]] || return 1
  echo "$pid"
}

# start_proc NAME BINARY ARGS...: starts detached (setsid), logs to $LOGS/NAME.log.
start_proc() {
  local name="$1"; shift
  local pid
  if pid=$(pid_of "$name"); then
    log "$name already running (pid $pid)"
    return 0
  fi
  mkdir -p "$PIDS" "$LOGS"
  echo "--- $(date -Is) starting: $*" >>"$LOGS/$name.log"
  setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null 8>&- &
  local child=$! i
  echo "$child $1" >"$PIDS/$name.pid"
  # Until setsid has exec'd, /proc/PID/cmdline still shows bash: wait for it.
  for ((i = 0; i < 50; i++)); do pid_of "$name" >/dev/null && break; kill -0 "$child" 2>/dev/null || break; sleep 0.05; done
  log "$name started (pid $child, log $LOGS/$name.log)"
}

# alive PID: running and not a zombie waiting for init to reap it.
alive() { [[ -r "/proc/$1/stat" ]] && [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]; }

# stop_procs [-t TIMEOUT] NAME...: SIGTERM to all at once, SIGKILL after TIMEOUT s.
stop_procs() {
  local timeout=10 name pid i left
  if [[ "${1:-}" == -t ]]; then timeout="$2"; shift 2; fi
  local -a pids=()
  for name in "$@"; do
    if pid=$(pid_of "$name"); then
      log "stopping $name (pid $pid)"; kill "$pid" 2>/dev/null || true; pids+=("$pid")
    fi
    rm -f "$PIDS/$name.pid"
  done
  for ((i = 0; i < timeout * 10; i++)); do
    left=0; for pid in "${pids[@]}"; do alive "$pid" && left=1; done
    ((left)) || break; sleep 0.1
  done
  for pid in "${pids[@]}"; do
    if alive "$pid"; then log "pid $pid still alive after ${timeout}s: SIGKILL"; kill -9 "$pid" 2>/dev/null || true; fi
  done
}
stop_proc() { local n="$1"; stop_procs -t "${2:-10}" "$n"; }

# wait_for DESCRIPTION TIMEOUT_SECONDS PROC_NAME COMMAND...: polls COMMAND until
# it succeeds; fails early (with the log tail) if PROC_NAME died.
wait_for() {
  local what="$1" timeout="$2" proc="$3"; shift 3
  local deadline=$((SECONDS + timeout))
  while ! "$@" >/dev/null 2>&1; do
    # Checked twice: just after its start, a process's pid file may name the shell that is about
    # to exec it (its cmdline not yet the binary's): once, `up` said a running etcd had died.
    if [[ -n "$proc" ]] && ! pid_of "$proc" >/dev/null && ! { sleep 0.5; pid_of "$proc" >/dev/null; }; then
      log "$proc is not running; last log lines:"; tail -25 "$LOGS/$proc.log" >&2 || true
      die "$what: $proc died"
    fi
    if ((SECONDS >= deadline)); then
      [[ -n "$proc" ]] && { log "last log lines of $proc:"; tail -25 "$LOGS/$proc.log" >&2 || true; }
      die "timed out after ${timeout}s waiting for $what"
    fi
    sleep 0.5
  done
}

# write_file FILE < content: replaces FILE only when the content differs
# (kube-proxy exits when its config file is touched; keep `up` twice harmless).
write_file() {
  local f="$1" tmp="$1.new"
  cat >"$tmp"
  if [[ -f "$f" ]] && cmp -s "$tmp" "$f"; then rm -f "$tmp"; else mv "$tmp" "$f"; fi
}

kc() { "$K8S_BIN/kubectl" --kubeconfig "$PKI/admin.kubeconfig" "$@"; }

# --- Debian packages ----------------------------------------------------------
# Package installs never start services (containerd, docker-registry with its all-interfaces
# config): policy-rc.d answering 101 is Debian's switch for that. This machine ships one; on a
# machine without it we add ours for the install and remove it after.
with_no_service_starts() {
  if [[ -e /usr/sbin/policy-rc.d ]]; then "$@"; return; fi
  printf '#!/bin/sh\n# incluster test cluster: no service starts during package installs\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  local rc=0
  "$@" || rc=$?
  rm -f /usr/sbin/policy-rc.d
  return "$rc"
}

ensure_packages() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  with_no_service_starts _install_packages "${missing[@]}"
}

_install_packages() {
  local missing=("$@")
  log "installing Debian packages: ${missing[*]}"
  if ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; then
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}" >&2 ||
    { apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}" >&2; }
}

# Sysctls the node changes (kubelet: kernel.*, vm.*; us: forwarding and
# bridge netfilter; kube-proxy: route_localnet). Saved once by up, restored by down.
SYSCTLS=(
  kernel.panic kernel.panic_on_oops vm.overcommit_memory vm.panic_on_oom
  kernel.keys.root_maxkeys kernel.keys.root_maxbytes
  net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables
  net.ipv4.conf.all.route_localnet
)
