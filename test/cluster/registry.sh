#!/usr/bin/env bash
# Local image registries for the test cluster: Debian's docker-registry
# (distribution 2.8.2) started by hand with OUR config, twice:
#   open  127.0.0.1:5000  every image of the project; anyone may pull and push
#   auth  127.0.0.1:5001  htpasswd authentication (a private registry: pulls need
#                         imagePullSecrets, pushes a logged-in engine); its user and
#                         password are generated once into $RUN/registry-auth.credentials
#                         (0600, `user:password`), for tests to read
#
#   test/cluster/registry.sh up|down|status|gc
#
# Why by hand: the package's config listens on ":5000" (every interface) and
# this workplace only allows servers on loopback or the CNI bridge. We write
# our own config with http.addr 127.0.0.1:5000 and keep the blobs in the
# cache dir so pushed images survive down/up. containerd runs in the host
# network namespace, so the node pulls 127.0.0.1:5000/... over plain HTTP.
set -euo pipefail

CACHE="${INCLUSTER_CACHE:-$HOME/.cache/incluster}"
RUN="$CACHE/run"                   # pidfiles, configs, logs (machine-wide: one port each)
BIN=/usr/bin/docker-registry
AUTH_USER=incluster
CREDENTIALS="$RUN/registry-auth.credentials"
HTPASSWD="$RUN/registry-auth.htpasswd"

# The instance the functions below act on: `use open` or `use auth`.
use() {
  INSTANCE="$1"
  case "$1" in
    open)
      ADDR="${INCLUSTER_REGISTRY_ADDR:-127.0.0.1:5000}"
      DATA="$CACHE/registry"       # blobs; survives down/up on purpose
      NAME=registry ;;
    auth)
      ADDR="${INCLUSTER_AUTH_REGISTRY_ADDR:-127.0.0.1:5001}"
      DATA="$CACHE/registry-auth"
      NAME=registry-auth ;;
  esac
  PIDFILE="$RUN/$NAME.pid"
  CONFIG="$RUN/$NAME.yml"
  LOG="$RUN/$NAME.log"
}
use open

log() { printf '[%s %s] %s\n' "$NAME" "$(date +%H:%M:%S)" "$*" >&2; }

# The PID in the pidfile, if that process is alive and really our registry
# (guards against a stale pidfile whose PID was reused by something else).
running_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid; pid="$(cat "$PIDFILE")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "docker-registry serve $CONFIG" || return 1
  echo "$pid"
}

# The open registry answers /v2/ with 200; the authenticated one with 401 and its realm.
healthy() {
  local code
  code="$(curl -sS -m 2 -o /dev/null -w '%{http_code}' "http://$ADDR/v2/" 2>/dev/null)" || return 1
  [[ "$INSTANCE" == open && "$code" == 200 || "$INSTANCE" == auth && "$code" == 401 ]]
}

ensure_package() {
  # apache2-utils: htpasswd, for the authenticated registry's bcrypt password file.
  local p missing=()
  for p in docker-registry apache2-utils; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if ((${#missing[@]})); then
    log "installing Debian packages ${missing[*]} (services are not started: policy-rc.d)"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}" >&2
  fi
  # The package ships /etc/init.d/docker-registry with the all-interfaces config.
  # Disable its rc links so no boot/runlevel change ever starts it, and stop one
  # that is running (via its own init script, which stops by its pidfile).
  if [[ -x /etc/init.d/docker-registry ]]; then
    if ls /etc/rc[2-5].d/S*docker-registry >/dev/null 2>&1; then
      log "disabling the packaged service (update-rc.d docker-registry disable)"
      update-rc.d docker-registry disable >/dev/null 2>&1 || true
    fi
    if [[ -f /var/run/docker-registry.pid ]] && kill -0 "$(cat /var/run/docker-registry.pid)" 2>/dev/null; then
      log "the packaged docker-registry (all interfaces) is running: stopping it"
      /etc/init.d/docker-registry stop >&2 || true
    fi
  fi
}

write_config() {
  mkdir -p "$DATA" "$RUN"
  cat >"$CONFIG.tmp" <<YAML
# Written by test/cluster/registry.sh — do not use /etc/docker/registry/config.yml
version: 0.1
log:
  level: info
  fields:
    service: incluster-registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: $DATA
  delete:
    enabled: true
http:
  addr: $ADDR
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
$(auth_config)
YAML
  mv "$CONFIG.tmp" "$CONFIG"
}

auth_config() {
  [[ "$INSTANCE" == auth ]] || return 0
  printf 'auth:\n  htpasswd:\n    realm: incluster-test\n    path: %s\n' "$HTPASSWD"
}

# One user with a random password, made once (kept across down/up, like the blobs). The
# password reaches htpasswd on stdin (-i), never a command line another user could read.
ensure_credentials() {
  [[ -s "$CREDENTIALS" && -s "$HTPASSWD" ]] && return 0
  local password
  password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  (umask 077 && printf '%s:%s\n' "$AUTH_USER" "$password" >"$CREDENTIALS.tmp" && mv "$CREDENTIALS.tmp" "$CREDENTIALS")
  printf '%s' "$password" | (umask 077 && htpasswd -iBn "$AUTH_USER" >"$HTPASSWD.tmp") && mv "$HTPASSWD.tmp" "$HTPASSWD"
  log "credentials for user $AUTH_USER written to $CREDENTIALS (0600)"
}

up_one() {
  local t0=$SECONDS
  use "$1"
  if pid="$(running_pid)" && healthy; then
    log "already running (pid $pid) on http://$ADDR, data $DATA"
    return 0
  fi
  if healthy; then
    log "ERROR: something else answers on http://$ADDR but it is not ours (no live pid in $PIDFILE)" 
    ss -ltnp "( sport = :${ADDR##*:} )" >&2 || true
    exit 1
  fi
  [[ "$INSTANCE" == auth ]] && ensure_credentials
  write_config
  log "starting $BIN serve $CONFIG (listen $ADDR, data $DATA, log $LOG)"
  # setsid: detach from the caller's session so the registry outlives this script.
  setsid "$BIN" serve "$CONFIG" >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 100); do
    healthy && break
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      log "ERROR: registry exited; last log lines:"; tail -20 "$LOG" >&2; exit 1
    fi
    sleep 0.1
  done
  healthy || { log "ERROR: registry not healthy after 10s"; tail -20 "$LOG" >&2; exit 1; }
  log "up (pid $(cat "$PIDFILE")) in $((SECONDS - t0))s"
}

up() {
  ensure_package
  up_one open
  up_one auth
}

down() {
  use auth; down_one
  use open; down_one
}

down_one() {
  local pid
  if pid="$(running_pid)"; then
    log "stopping pid $pid (data kept in $DATA)"
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { log "still alive, SIGKILL $pid"; kill -9 "$pid"; }
  else
    log "not running"
  fi
  rm -f "$PIDFILE"
}

status() {
  local pid rc=0
  for i in open auth; do
    use "$i"
    if pid="$(running_pid)" && healthy; then
      echo "$NAME: running pid $pid on http://$ADDR data $DATA ($(du -sh "$DATA" 2>/dev/null | cut -f1))"
      [[ "$INSTANCE" == open ]] && { curl -fsS -m 2 "http://$ADDR/v2/_catalog" 2>/dev/null || true; echo; }
    else
      echo "$NAME: not running"
      rc=1
    fi
  done
  return "$rc"
}

# Frees the space of superseded images. images/build.sh pushes every image
# twice, as its contract tag (python:3.11-pytest) and as r-<recipe hash>; after
# a recipe change the old r-* tags keep the old layers alive. gc deletes every
# r-* tag whose manifest no contract tag shares, then runs the registry's
# garbage collector, which needs the registry stopped (it is restarted after).
gc() {
  local t0=$SECONDS before repo tags tag digest keep deleted=0
  ensure_package
  up_one open   # the tag listing and deletes go through the HTTP API
  before="$(du -sh "$DATA" | cut -f1)"
  for repo in $(curl -fsS "http://$ADDR/v2/_catalog?n=1000" | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["repositories"]))'); do
    tags="$(curl -fsS "http://$ADDR/v2/$repo/tags/list" | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["tags"] or []))')"
    keep=""
    for tag in $tags; do
      [[ "$tag" == r-* ]] && continue
      keep+=" $(manifest_digest "$repo" "$tag")"
    done
    for tag in $tags; do
      [[ "$tag" == r-* ]] || continue
      digest="$(manifest_digest "$repo" "$tag")"
      [[ -z "$digest" || " $keep " == *" $digest "* ]] && continue
      log "deleting superseded $repo:$tag ($digest)"
      curl -fsS -X DELETE "http://$ADDR/v2/$repo/manifests/$digest" >/dev/null
      deleted=$((deleted + 1))
    done
  done
  down_one
  log "garbage-collect (deleted $deleted manifest(s))"
  "$BIN" garbage-collect --delete-untagged "$CONFIG" >>"$LOG" 2>&1
  up_one open
  log "gc done in $((SECONDS - t0))s: $before -> $(du -sh "$DATA" | cut -f1)"
}

manifest_digest() { # manifest_digest <repo> <tag>
  curl -fsS -m 5 -o /dev/null -D - -I \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$ADDR/v2/$1/manifests/$2" 2>/dev/null |
    tr -d '\r' | awk 'tolower($1)=="docker-content-digest:" {print $2}' || true
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  gc) gc ;;
  *) echo "usage: $0 up|down|status|gc" >&2; exit 2 ;;
esac
