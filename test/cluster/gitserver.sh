#!/usr/bin/env bash
# Git server the test pods clone from: `git daemon` on the CNI bridge address,
# serving a bare repository built from examples/demo/sample-app/.
#
#   test/cluster/gitserver.sh up|down|status
#
# Pods clone git://10.244.0.1/sample-app.git (or, through the demo's
# selector-less Service, git://git.incluster-demo.svc.cluster.local/sample-app.git).
# Bound to the bridge address only: never 0.0.0.0 / eth0 (workplace rule).
#
# The repository is rebuilt deterministically (fixed author, committer and
# dates), so the commit id only changes when the sample's files change:
# branch main, lightweight tag v1, fetch by commit id allowed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="${INCLUSTER_CACHE:-$HOME/.cache/incluster}"
ADDR="${INCLUSTER_GIT_ADDR:-10.244.0.1}"   # the cni0 bridge address
PORT="${INCLUSTER_GIT_PORT:-9418}"
BASE="$CACHE/git"                          # --base-path: URLs are git://ADDR/<name>.git
SAMPLE="$REPO_ROOT/examples/demo/sample-app"
NAME=sample-app.git
RUN="$CACHE/run"
PIDFILE="$RUN/gitserver.pid"
LOG="$RUN/gitserver.log"

log() { printf '[gitserver %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

running_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid; pid="$(cat "$PIDFILE")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "git-daemon .*--base-path=$BASE" || return 1
  echo "$pid"
}

# Build the sample repository in a temporary dir and print its commit id.
# Everything that goes into the commit id is fixed here: the tree (the sample's
# files and modes, minus caches), author, committer, dates and message.
build_repo() { # build_repo <workdir>
  local work="$1"
  mkdir -p "$work/src"
  tar -C "$SAMPLE" --exclude=__pycache__ --exclude=.pytest_cache --exclude='*.pyc' -cf - . | tar -C "$work/src" -xf -
  (
    cd "$work/src"
    export GIT_CONFIG_NOSYSTEM=1 HOME="$work" \
      GIT_AUTHOR_NAME="incluster demo" GIT_AUTHOR_EMAIL="demo@incluster.local" \
      GIT_COMMITTER_NAME="incluster demo" GIT_COMMITTER_EMAIL="demo@incluster.local" \
      GIT_AUTHOR_DATE="2025-01-28T00:00:00Z" GIT_COMMITTER_DATE="2025-01-28T00:00:00Z"
    git init -q -b main .
    git add -A
    git commit -q -m "sample-app for the incluster demo"
    git rev-parse HEAD
  )
}

sync_repo() {
  local t0=$SECONDS work commit current=""
  work="$(mktemp -d)"
  commit="$(build_repo "$work")"
  if [[ -d "$BASE/$NAME" ]]; then
    current="$(git --git-dir="$BASE/$NAME" rev-parse -q --verify refs/heads/main 2>/dev/null || true)"
  fi
  if [[ "$current" == "$commit" ]]; then
    log "$NAME is current (main = v1 = $commit)"
  else
    log "building $NAME from examples/demo/sample-app (main = $commit, was ${current:-absent})"
    mkdir -p "$BASE"
    rm -rf "$BASE/$NAME.new"
    git clone -q --bare --no-local "$work/src" "$BASE/$NAME.new"
    git --git-dir="$BASE/$NAME.new" tag v1 "$commit"
    git --git-dir="$BASE/$NAME.new" remote remove origin 2>/dev/null || true
    # Fetch by commit id (incluster pins a run to the exact commit it resolved).
    git --git-dir="$BASE/$NAME.new" config uploadpack.allowReachableSHA1InWant true
    git --git-dir="$BASE/$NAME.new" config uploadpack.allowAnySHA1InWant true
    git --git-dir="$BASE/$NAME.new" symbolic-ref HEAD refs/heads/main
    # Swap: a running daemon serves either the old or the new repo, never half.
    rm -rf "$BASE/$NAME.old"
    [[ -d "$BASE/$NAME" ]] && mv "$BASE/$NAME" "$BASE/$NAME.old"
    mv "$BASE/$NAME.new" "$BASE/$NAME"
    rm -rf "$BASE/$NAME.old"
  fi
  rm -rf "$work"
  echo "$commit" >"$BASE/$NAME.commit"
  log "repo ready in $((SECONDS - t0))s"
}

up() {
  local t0=$SECONDS pid
  sync_repo
  if pid="$(running_pid)"; then
    if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "--listen=$ADDR --port=$PORT "; then
      log "already running (pid $pid) on git://$ADDR:$PORT/"
      return 0
    fi
    log "running (pid $pid) on another address/port: restarting on $ADDR:$PORT"
    down
  fi
  if ! ip -o -4 addr show | awk '{print $4}' | grep -q "^$ADDR/"; then
    log "ERROR: no interface has address $ADDR (the cni0 bridge is created by test/cluster/up; set INCLUSTER_GIT_ADDR to test elsewhere)"
    exit 1
  fi
  mkdir -p "$RUN"
  log "starting git daemon on git://$ADDR:$PORT/ (base $BASE, log $LOG)"
  # Foreground daemon under setsid (not --detach: that logs to syslog, which
  # this machine does not run). git-daemon itself rather than `git daemon`,
  # which would run it as a child: $! must be the listening process.
  setsid "$(git --exec-path)/git-daemon" --listen="$ADDR" --port="$PORT" --base-path="$BASE" --export-all \
    --reuseaddr --informative-errors --verbose --init-timeout=10 --timeout=120 \
    --max-connections=64 "$BASE" >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 50); do
    if git ls-remote "git://$ADDR:$PORT/$NAME" >/dev/null 2>&1; then
      log "up (pid $(cat "$PIDFILE")) in $((SECONDS - t0))s: git://$ADDR:$PORT/$NAME main=$(cat "$BASE/$NAME.commit")"
      return 0
    fi
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { log "ERROR: git daemon exited:"; tail -20 "$LOG" >&2; exit 1; }
    sleep 0.1
  done
  log "ERROR: git daemon not answering after 5s"; tail -20 "$LOG" >&2; exit 1
}

down() {
  local pid
  if pid="$(running_pid)"; then
    log "stopping git daemon pid $pid (repositories kept in $BASE)"
    # git daemon forks a child per connection; they end with their clients
    # (--timeout) and are in the daemon's session, so signal the session's
    # processes by their PIDs too.
    local children; children="$(pgrep -s "$pid" 2>/dev/null | grep -vxF "$pid" || true)"
    kill "$pid" 2>/dev/null || true
    for c in $children; do kill "$c" 2>/dev/null || true; done
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  else
    log "not running"
  fi
  rm -f "$PIDFILE"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "gitserver: running pid $pid on git://$ADDR:$PORT/ base $BASE"
    git ls-remote "git://$ADDR:$PORT/$NAME" || true
  else
    echo "gitserver: not running"
    return 1
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
