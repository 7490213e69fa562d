#!/usr/bin/env bash
# Proves the demo works from INSIDE the cluster (run after test/cluster/demo.sh):
#   1. a Job in incluster-demo whose init container (git:2, uid 1000) clones the
#      sample repo over the network, both by the bridge address and by the git
#      Service's DNS name, and whose test container (python:3.11-pytest) resolves
#      the services' DNS names, calls them over HTTP and runs the sample's
#      tests/e2e/test_services.py;
#   2. a pod running as root is rejected by Pod Security admission (restricted).
# Exit 0 only when both hold. Leaves nothing behind (the Job is deleted).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck disable=SC1091
[[ -f "$REPO_ROOT/.cluster/env" ]] && source "$REPO_ROOT/.cluster/env"
KUBECTL="${KUBECTL:-kubectl}"
export KUBECONFIG="${KUBECONFIG:-$REPO_ROOT/.cluster/kubeconfig}"
NS=incluster-demo
JOB=demo-check
log() { printf '[demo-check %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
k() { "$KUBECTL" "$@"; }
t0=$SECONDS

k -n "$NS" delete job "$JOB" --ignore-not-found --wait=true >/dev/null
log "creating Job $JOB (clone init container + test container, restricted securityContext)"
k apply -f - >&2 <<'YAML'
apiVersion: batch/v1
kind: Job
metadata:
  name: demo-check
  namespace: incluster-demo
spec:
  backoffLimit: 0
  activeDeadlineSeconds: 180
  template:
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        seccompProfile: { type: RuntimeDefault }
      initContainers:
        - name: clone-repo
          image: 127.0.0.1:5000/incluster/git:2
          command: ["sh", "-ec"]
          args:
            - |
              echo "uid=$(id -u) HOME=$HOME"
              echo "ls-remote git://10.244.0.1/sample-app.git:"
              git ls-remote git://10.244.0.1/sample-app.git
              echo "clone git://git.incluster-demo.svc.cluster.local/sample-app.git (branch main):"
              git clone --depth 1 --branch main git://git.incluster-demo.svc.cluster.local/sample-app.git /workspace
              git -C /workspace log -1 --format='cloned commit %H (%s)'
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: { drop: ["ALL"] }
          volumeMounts: [{ name: workspace, mountPath: /workspace }]
      containers:
        - name: test-runner
          image: 127.0.0.1:5000/incluster/python:3.11-pytest
          workingDir: /workspace
          command: ["sh", "-ec"]
          args:
            - |
              git log -1 --format='workspace at %h'
              python3 - <<'PY'
              import json, socket, urllib.request
              for host, port, path in [("orchestrator.incluster-demo.svc.cluster.local", 50055, "/health"),
                                       ("context.incluster-demo.svc.cluster.local", 50054, "/context/story-1"),
                                       ("orchestrator.incluster-demo.svc.cluster.local", 50055, "/deliberate?task_id=story-1")]:
                  ip = socket.gethostbyname(host)
                  with urllib.request.urlopen(f"http://{host}:{port}{path}", timeout=10) as r:
                      print(f"DNS {host} -> {ip}; GET {path} -> HTTP {r.status} {r.read().decode()[:160]}")
              PY
              python -m pytest -v -s -p no:cacheprovider tests/e2e/test_services.py
          env:
            - { name: ORCHESTRATOR_HOST, value: orchestrator.incluster-demo.svc.cluster.local }
            - { name: ORCHESTRATOR_PORT, value: "50055" }
            - { name: CONTEXT_HOST, value: context.incluster-demo.svc.cluster.local }
            - { name: CONTEXT_PORT, value: "50054" }
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: { drop: ["ALL"] }
          resources:
            limits: { cpu: 500m, memory: 256Mi }
          volumeMounts: [{ name: workspace, mountPath: /workspace }]
      volumes:
        - name: workspace
          emptyDir: {}
YAML

result=""
for _ in $(seq 1 180); do
  s="$(k -n "$NS" get job "$JOB" -o jsonpath='{.status.succeeded}/{.status.failed}')"
  [[ "$s" == 1/* ]] && { result=passed; break; }
  [[ "$s" == */1 ]] && { result=failed; break; }
  sleep 1
done
pod="$(k -n "$NS" get pods -l job-name="$JOB" -o jsonpath='{.items[0].metadata.name}')"
echo "--- init container clone-repo ($pod) ---"
k -n "$NS" logs "$pod" -c clone-repo || true
echo "--- container test-runner ---"
k -n "$NS" logs "$pod" -c test-runner || true
k -n "$NS" get pod "$pod" -o jsonpath='{range .status.containerStatuses[*]}{.name}: exit {.state.terminated.exitCode} {.state.terminated.reason}{"\n"}{end}'
k -n "$NS" delete job "$JOB" --wait=false >/dev/null
[[ "$result" == passed ]] || { log "FAILED: Job $JOB ${result:-did not finish}"; exit 1; }
log "Job $JOB succeeded"

log "creating a pod that runs as root in $NS: Pod Security admission must reject it"
set +e
out="$(k apply -f - 2>&1 <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: demo-check-root
  namespace: incluster-demo
spec:
  containers:
    - name: root
      image: 127.0.0.1:5000/incluster/busybox:1
      command: ["sleep", "5"]
      securityContext:
        runAsUser: 0
YAML
)"
rc=$?
set -e
echo "$out"
if [[ $rc -eq 0 ]]; then
  k -n "$NS" delete pod demo-check-root --wait=false >/dev/null 2>&1 || true
  log "FAILED: the root pod was admitted"; exit 1
fi
grep -q 'violates PodSecurity "restricted' <<<"$out" || { log "FAILED: rejected, but not by PodSecurity"; exit 1; }
log "root pod rejected by PodSecurity (kubectl exit $rc)"
log "all demo checks passed in $((SECONDS - t0))s"
