#!/usr/bin/env bash
# Proves the demo works from INSIDE the cluster (run after test/cluster/demo.sh):
#   1. a Job in incluster-demo whose init container (git:2, uid 1000) clones the
#      sample repo over the network, both by the bridge address and by the git
#      Service's DNS name, and whose test container (python:3.11-pytest) resolves
#      the services' DNS names, calls them over HTTP and runs the sample's
#      tests/e2e/test_services.py;
#   2. the same Job running tests/e2e/test_fails_on_purpose.py fails with exit
#      code 1 and the assertion message in its log;
#   3. a pod running as root is rejected by Pod Security admission (restricted).
# Exit 0 only when all hold. Leaves nothing behind (the Job is deleted).
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

# The Job: a clone init container and a test container, as incluster renders
# them (restricted securityContext, emptyDir workspace with fsGroup 1000).
job_yaml() { # job_yaml <name> <pytest target>
  sed -e "s|__JOB__|$1|" -e "s|__TARGET__|$2|" <<'YAML'
apiVersion: batch/v1
kind: Job
metadata:
  name: __JOB__
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
              python -m pytest -v -s -p no:cacheprovider __TARGET__
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
}

# run_job <name> <pytest target> -> prints the logs; sets JOB_RESULT and JOB_EXIT
run_job() {
  local job="$1" target="$2" s pod
  k -n "$NS" delete job "$job" --ignore-not-found --wait=true >/dev/null
  log "creating Job $job: clone init container + test container running $target"
  job_yaml "$job" "$target" | k apply -f - >&2
  JOB_RESULT=""
  for _ in $(seq 1 180); do
    s="$(k -n "$NS" get job "$job" -o jsonpath='{.status.succeeded}/{.status.failed}')"
    [[ "$s" == 1/* ]] && { JOB_RESULT=passed; break; }
    [[ "$s" == */1 ]] && { JOB_RESULT=failed; break; }
    sleep 1
  done
  pod="$(k -n "$NS" get pods -l job-name="$job" -o jsonpath='{.items[0].metadata.name}')"
  echo "--- $job: init container clone-repo ($pod) ---"
  k -n "$NS" logs "$pod" -c clone-repo || true
  echo "--- $job: container test-runner ---"
  JOB_LOG="$(k -n "$NS" logs "$pod" -c test-runner 2>&1 || true)"
  echo "$JOB_LOG"
  JOB_EXIT="$(k -n "$NS" get pod "$pod" -o jsonpath='{.status.containerStatuses[0].state.terminated.exitCode}')"
  echo "--- $job: test-runner exit code $JOB_EXIT, Job $JOB_RESULT ---"
  k -n "$NS" delete job "$job" --wait=false >/dev/null
}

run_job "$JOB" tests/e2e/test_services.py
[[ "$JOB_RESULT" == passed ]] || { log "FAILED: Job $JOB ${JOB_RESULT:-did not finish}"; exit 1; }
log "Job $JOB succeeded"

# The failing suite must fail the Job with pytest's exit code 1 and show the assertion.
run_job "$JOB-fails" tests/e2e/test_fails_on_purpose.py
[[ "$JOB_RESULT" == failed && "$JOB_EXIT" == 1 ]] || { log "FAILED: expected the fails-on-purpose Job to fail with exit 1, got ${JOB_RESULT:-unfinished}/$JOB_EXIT"; exit 1; }
grep -q "this test fails on purpose" <<<"$JOB_LOG" || { log "FAILED: the assertion message is not in the log"; exit 1; }
log "Job $JOB-fails failed as intended (exit 1, assertion message in the log)"

log "creating a pod that runs as root in $NS: Pod Security admission must reject it"
set +e
out="$(k apply -f - 2>&1 <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: demo-check-root
  namespace: incluster-demo
spec:
  # Compliant with "restricted" in every other respect, so the only reason to
  # reject it is that it runs as root.
  securityContext:
    seccompProfile: { type: RuntimeDefault }
  containers:
    - name: root
      image: 127.0.0.1:5000/incluster/busybox:1
      command: ["sleep", "5"]
      securityContext:
        runAsUser: 0
        allowPrivilegeEscalation: false
        capabilities: { drop: ["ALL"] }
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
grep -q 'runAsUser=0' <<<"$out" || { log "FAILED: rejected, but not for running as root"; exit 1; }
log "root pod rejected by PodSecurity (kubectl exit $rc)"
log "all demo checks passed in $((SECONDS - t0))s"
