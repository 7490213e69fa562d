#!/usr/bin/env bash
# Deploys the demo application into the test cluster (idempotent: kubectl apply).
#
#   test/cluster/demo.sh
#
# Namespace incluster-demo (Pod Security "restricted" enforced), the services
# "orchestrator" (:50055) and "context" (:50054) as Deployments + ClusterIP
# Services running from 127.0.0.1:5000/incluster/python:3.11-pytest with their
# code from a ConfigMap, and a selector-less Service "git" whose EndpointSlice
# points at the host's git daemon (10.244.0.1:9418).
# Uses $KUBECTL and $KUBECONFIG (set by test/cluster/up, or by .cluster/env).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
DEMO="$REPO_ROOT/examples/demo"
NS=incluster-demo
# shellcheck disable=SC1091
[[ -f "$REPO_ROOT/.cluster/env" ]] && source "$REPO_ROOT/.cluster/env"
KUBECTL="${KUBECTL:-kubectl}"
export KUBECONFIG="${KUBECONFIG:-$REPO_ROOT/.cluster/kubeconfig}"
ROLLOUT_TIMEOUT="${INCLUSTER_DEMO_TIMEOUT:-180s}"

log() { printf '[demo %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
k() { "$KUBECTL" "$@"; }
t0=$SECONDS

log "applying namespace $NS (enforce restricted)"
k apply -f "$DEMO/k8s/namespace.yaml" >&2

# The code lives in examples/demo/services/*.py; a ConfigMap carries it into
# the pods, so the services need no image of their own.
log "applying ConfigMap demo-services from examples/demo/services/"
k -n "$NS" create configmap demo-services \
  --from-file="$DEMO/services/orchestrator.py" --from-file="$DEMO/services/context.py" \
  --dry-run=client -o yaml | k apply -f - >&2

# A ConfigMap change does not restart pods: stamp the code hash into the pod
# template so changed code rolls the Deployments, and unchanged code does not.
code_hash="$(cat "$DEMO/services/orchestrator.py" "$DEMO/services/context.py" | sha256sum | cut -c1-16)"
log "applying Deployments + Services orchestrator:50055, context:50054 (code $code_hash)"
sed "s/__CODE_HASH__/$code_hash/" "$DEMO/k8s/services.yaml" | k apply -f - >&2

log "applying Service git + EndpointSlice -> 10.244.0.1:9418"
k apply -f "$DEMO/k8s/git.yaml" >&2

log "waiting for Deployments to be available (timeout $ROLLOUT_TIMEOUT)"
for d in context orchestrator; do
  if ! k -n "$NS" rollout status "deployment/$d" --timeout="$ROLLOUT_TIMEOUT" >&2; then
    log "ERROR: deployment/$d not available; pods and recent events:"
    k -n "$NS" get pods -o wide >&2 || true
    k -n "$NS" describe pods -l "app.kubernetes.io/name=$d" 2>&1 | tail -40 >&2 || true
    k -n "$NS" get events --sort-by=.lastTimestamp 2>&1 | tail -20 >&2 || true
    exit 1
  fi
done
k -n "$NS" get deploy,svc,endpointslices -o wide >&2
log "demo ready in $((SECONDS - t0))s"
