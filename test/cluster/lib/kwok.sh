# shellcheck shell=bash
# Scale mode: kwok (sigs.k8s.io/kwok) adds simulated nodes to the same control plane. Its pods
# never run anything: stages move them Pending → Running → tests ended → Succeeded after delays,
# and its server answers the API server's log requests from one file (ClusterLogs) and its exec
# requests (pods/exec, ClusterExec) by running the command on this machine, where /incluster is
# the simulated pods' output volume: every kwok pod's collector "holds" the same test-runner.log
# and artifacts/junit.xml (test/cluster/kwok-output rewrites them). The nodes are labelled and
# tainted, so real pods stay on the real node; a suite lands on them with
#   scheduling: { nodeSelector: { type: kwok }, tolerations: [{ key: kwok.x-k8s.io/node, operator: Exists }] }
KWOK_PORT=10247
KWOK_POD_CIDR="10.246.0.0/16"          # pod IPs kwok hands out: overlaps neither pods, services, eth0 nor the resolver
KWOK_NODE_LABEL="type=kwok"
KWOK_TAINT_KEY="kwok.x-k8s.io/node"
KWOK_POD_RUN_MS="${KWOK_POD_RUN_MS:-2000}"  # Running → tests ended after this (plus up to 1 s of jitter)
# Tests ended → the collector sidecar stops (pod Succeeded) after this. A real collector stops
# once a copy marked the output collected, else after its idle grace (COLLECTOR_GRACE.idleS in
# src/names.ts, 45 s); kwok cannot tell which pod an exec was for, so every simulated collector
# keeps its pod's output for the idle grace: `kubectl wait` on these Jobs waits for it, as it
# would on a real cluster with nobody copying.
KWOK_COLLECTOR_LINGER_MS="${KWOK_COLLECTOR_LINGER_MS:-45000}"
KWOK_DIR="$STATE/kwok"
# The collector's output volume as every exec'd command sees it (OUT_DIR in src/names.ts): kwok
# runs the command here, not in a container, so this path on the machine is a symlink to it.
KWOK_OUT_DIR=/incluster
KWOK_POD_DIR="$KWOK_DIR/pod"
# What every simulated test container printed (its log, and the collector's copy of it).
KWOK_LOG_LINES=("kwok: simulated container started" "kwok: simulated test passed")

# A pod stage of ours: NAME DELAY_MS JITTER_MS, then the selector's extra expressions and the
# status template (stdin, already indented), for Job pods not being deleted.
kwok_pod_stage() {
  local name="$1" ms="$2" jitter="$3" extra="$4"
  cat <<EOF2
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata: { name: $name }
spec:
  resourceRef: { apiGroup: v1, kind: Pod }
  selector:
    matchExpressions:
    - { key: '.metadata.deletionTimestamp', operator: DoesNotExist }
    - { key: '.status.phase', operator: In, values: [Running] }
    - { key: '.metadata.ownerReferences.[].kind', operator: In, values: [Job] }
$extra
  delay: { durationMilliseconds: $ms, jitterDurationMilliseconds: $jitter }
  next:
    statusTemplate: |
EOF2
  cat
}

# A container status, terminated with exit code 0 (the range's item is the container).
# shellcheck disable=SC2016  # Go template, not shell
KWOK_TERMINATED='
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: false
        restartCount: 0
        started: false
        state:
          terminated:
            exitCode: 0
            finishedAt: {{ $now | Quote }}
            reason: Completed
            startedAt: {{ $now | Quote }}'

# The stages: kwok's own for nodes and for a pod's start and deletion (copied from the module by
# build-binaries.sh: passing any Stage replaces all default ones), ours for a Job pod's end, as a
# kubelet goes: the test containers end while native sidecars (init containers with
# restartPolicy Always: the collector) keep running, so pods/exec reaches them; the sidecars stop
# after KWOK_COLLECTOR_LINGER_MS (at once in a pod without any), then the pod Succeeded.
kwok_config() {
  local s f
  for s in node-initialize node-heartbeat-with-lease pod-ready pod-delete; do
    f="$KWOK_STAGES/$s.yaml"
    [[ -f "$f" ]] || die "kwok stage $f missing: run test/cluster/build-binaries.sh kwok"
    echo "---"
    cat "$f"
  done
  local main_running="    - { key: '.status.containerStatuses.[].state.running', operator: Exists }"
  local main_ended="    - { key: '.status.containerStatuses.[].state.running', operator: DoesNotExist }
    - { key: '.status.containerStatuses.[].state.terminated', operator: Exists }"
  local sidecars="    - { key: '.status.initContainerStatuses.[].state.running', operator: Exists }"
  local no_sidecars="    - { key: '.status.initContainerStatuses.[].state.running', operator: DoesNotExist }"
  kwok_pod_stage pod-tests-end "$KWOK_POD_RUN_MS" $((KWOK_POD_RUN_MS + 1000)) "$main_running" <<EOF2
      {{ \$now := Now }}
      containerStatuses:
      {{ range .spec.containers }}$KWOK_TERMINATED
      {{ end }}
EOF2
  kwok_pod_stage pod-complete 0 0 "$main_ended
$no_sidecars" <<EOF2
      phase: Succeeded
EOF2
  kwok_pod_stage pod-collector-end "$KWOK_COLLECTOR_LINGER_MS" "$KWOK_COLLECTOR_LINGER_MS" "$main_ended
$sidecars" <<EOF2
      {{ \$now := Now }}
      initContainerStatuses:
      {{ range .spec.initContainers }}$KWOK_TERMINATED
      {{ end }}
      phase: Succeeded
EOF2
  cat <<EOF2
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata: { name: incluster-simulated }
spec:
  logs:
    - logsFile: $KWOK_DIR/container.log
      follow: false
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterExec
metadata: { name: incluster-simulated }
spec:
  execs:
    - local: { workDir: $KWOK_POD_DIR }
EOF2
}

# What every simulated container "printed": CRI log lines, as containerd writes them.
kwok_log_file() {
  local t i=1 line; t=$(date -u +%Y-%m-%dT%H:%M:%S)
  for line in "${KWOK_LOG_LINES[@]}"; do printf '%s.00000000%dZ stdout F %s\n' "$t" $((i++)) "$line"; done
}

# kwok_junit TESTS FAILURES: a JUnit file of TESTS test cases, the first FAILURES of them failed.
kwok_junit() {
  awk -v n="$1" -v f="$2" 'BEGIN {
    printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\">\n", n, f
    printf "<testsuite name=\"kwok\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\" time=\"%.3f\">\n", n, f, n * 0.001
    for (i = 0; i < n; i++) {
      printf "<testcase classname=\"kwok.simulated.test_area_%d\" name=\"test_case_%06d\" time=\"0.001\"", int(i / 100), i
      if (i < f) printf "><failure message=\"simulated failure %d\">AssertionError: simulated failure %d</failure></testcase>\n", i, i
      else printf "/>\n"
    }
    print "</testsuite>\n</testsuites>"
  }'
}

# kwok_pod_output TESTS FAILURES [JUNIT_FILE]: the simulated collectors' output: the log copy
# and artifacts/junit.xml (generated, or that file), replaced whole so a copy under way reads
# either the old files or the new ones.
kwok_pod_output() {
  local tests="$1" failures="$2" junit="${3:-}" tmp="$KWOK_DIR/pod.new"
  rm -rf "$tmp"; mkdir -p "$tmp/artifacts"
  printf '%s\n' "${KWOK_LOG_LINES[@]}" >"$tmp/test-runner.log"
  if [[ -n "$junit" ]]; then cp "$junit" "$tmp/artifacts/junit.xml"; else kwok_junit "$tests" "$failures" >"$tmp/artifacts/junit.xml"; fi
  rm -rf "$KWOK_DIR/pod.old"
  [[ ! -e "$KWOK_POD_DIR" ]] || mv "$KWOK_POD_DIR" "$KWOK_DIR/pod.old"
  mv "$tmp" "$KWOK_POD_DIR"
  rm -rf "$KWOK_DIR/pod.old"
}

# /incluster → the simulated output volume; refuses to replace anything that is not our link.
kwok_out_link() {
  if [[ -L "$KWOK_OUT_DIR" && "$(readlink "$KWOK_OUT_DIR")" == "$KWOK_POD_DIR" ]]; then return 0; fi
  [[ ! -e "$KWOK_OUT_DIR" && ! -L "$KWOK_OUT_DIR" ]] || die "$KWOK_OUT_DIR exists and is not the scale mode's link to $KWOK_POD_DIR: move it away"
  ln -s "$KWOK_POD_DIR" "$KWOK_OUT_DIR"
}

start_kwok() {
  mkdir -p "$KWOK_DIR" "$CFG"
  kwok_log_file | write_file "$KWOK_DIR/container.log"
  [[ -d "$KWOK_POD_DIR" ]] || kwok_pod_output "${KWOK_JUNIT_TESTS:-3}" 0
  kwok_out_link
  local before=""; [[ -f "$CFG/kwok.yaml" ]] && before=$(cat "$CFG/kwok.yaml")
  kwok_config | write_file "$CFG/kwok.yaml"
  # kwok reads its config once: a running one with another config (an older scale mode) restarts.
  if [[ "$(cat "$CFG/kwok.yaml")" != "$before" ]] && pid_of kwok >/dev/null; then
    log "kwok config changed: restarting kwok"
    stop_proc kwok 10
  fi
  # The API server fetches logs and execs over HTTPS from the node's InternalIP:port (it verifies
  # no kubelet certificate here); kwok listens on loopback only.
  make_cert kwok-serving ca kwok-node "" "IP:127.0.0.1" server
  start_proc kwok "$KWOK_BIN/kwok" \
    --kubeconfig "$PKI/admin.kubeconfig" \
    --config "$CFG/kwok.yaml" \
    --manage-nodes-with-label-selector "$KWOK_NODE_LABEL" \
    --server-address "127.0.0.1:$KWOK_PORT" --node-ip 127.0.0.1 --node-port "$KWOK_PORT" \
    --tls-cert-file "$PKI/kwok-serving.crt" --tls-private-key-file "$PKI/kwok-serving.key" \
    --cidr "$KWOK_POD_CIDR" \
    --node-lease-duration-seconds 40 \
    -v WARN
  wait_for "kwok /healthz" 60 kwok curl -fsSk -m 2 "https://127.0.0.1:$KWOK_PORT/healthz"
}

# kwok_nodes N: exactly N simulated nodes kwok-node-0..N-1 (extra ones from an earlier up are deleted).
kwok_nodes() {
  local n="$1" i
  {
    for ((i = 0; i < n; i++)); do
      cat <<EOF2
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  labels: { type: kwok, kubernetes.io/hostname: kwok-node-$i, kubernetes.io/os: linux, kubernetes.io/arch: amd64, kubernetes.io/role: agent, node-role.kubernetes.io/agent: "" }
  annotations: { kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0" }
spec:
  taints: [{ key: $KWOK_TAINT_KEY, value: fake, effect: NoSchedule }]
EOF2
    done
  } | { ((n > 0)) && kc apply -f - >/dev/null || true; }
  local extra
  extra=$(kc get nodes -l "$KWOK_NODE_LABEL" -o name | awk -F'kwok-node-' -v n="$n" '$2 >= n')
  # shellcheck disable=SC2086
  [[ -z "$extra" ]] || kc delete $extra --wait=false >/dev/null
  kwok_ready() { [[ "$(kc get nodes -l "$KWOK_NODE_LABEL" -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True)" -ge "$n" ]]; }
  ((n == 0)) || wait_for "$n kwok nodes Ready" 120 kwok kwok_ready
  log "kwok: $n simulated node(s) (label $KWOK_NODE_LABEL, taint $KWOK_TAINT_KEY:NoSchedule)"
}

# The /incluster link goes with kwok (only ours: anything else there is left alone).
kwok_unlink() {
  if [[ -L "$KWOK_OUT_DIR" && "$(readlink "$KWOK_OUT_DIR")" == "$KWOK_POD_DIR" ]]; then rm -f "$KWOK_OUT_DIR"; fi
}

# No simulated nodes wanted: remove them (while the API answers) and stop kwok.
stop_kwok() {
  kwok_unlink
  pid_of kwok >/dev/null || [[ -n "$(kc get nodes -l "$KWOK_NODE_LABEL" -o name 2>/dev/null)" ]] || return 0
  kc delete nodes -l "$KWOK_NODE_LABEL" --wait=false >/dev/null 2>&1 || true
  stop_proc kwok 10
}
