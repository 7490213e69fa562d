# shellcheck shell=bash
# Scale mode: kwok (sigs.k8s.io/kwok) adds simulated nodes to the same control plane. Its pods
# never run anything: stages move them Pending → Running → Succeeded after a delay, and its
# server answers the API server's log requests from one file (ClusterLogs). The nodes are
# labelled and tainted, so real pods stay on the real node; a suite lands on them with
#   scheduling: { nodeSelector: { type: kwok }, tolerations: [{ key: kwok.x-k8s.io/node, operator: Exists }] }
KWOK_PORT=10247
KWOK_POD_CIDR="10.246.0.0/16"          # pod IPs kwok hands out: overlaps neither pods, services, eth0 nor the resolver
KWOK_NODE_LABEL="type=kwok"
KWOK_TAINT_KEY="kwok.x-k8s.io/node"
KWOK_POD_RUN_MS="${KWOK_POD_RUN_MS:-2000}"  # Running → Succeeded after this (plus up to 1 s of jitter)
KWOK_DIR="$STATE/kwok"

# The stage set kwok ships ("fast" pods, nodes with lease heartbeats), copied from the module by
# build-binaries.sh: passing any Stage replaces all default ones. pod-complete gets our delay and,
# as a kubelet does when the main containers end, stops the sidecars (init containers with
# restartPolicy Always): kwok's own stage leaves them running.
kwok_config() {
  local s f
  for s in node-initialize node-heartbeat-with-lease pod-ready pod-complete pod-delete; do
    f="$KWOK_STAGES/$s.yaml"
    [[ -f "$f" ]] || die "kwok stage $f missing: run test/cluster/build-binaries.sh kwok"
    echo "---"
    if [[ $s == pod-complete ]]; then
      awk -v ms="$KWOK_POD_RUN_MS" '
        /^  next:/ { print "  delay:"; print "    durationMilliseconds: " ms; print "    jitterDurationMilliseconds: " (ms + 1000) }
        /^      phase: Succeeded/ {
          print "      initContainerStatuses:"
          print "      {{ range .spec.initContainers }}"
          print "      - image: {{ .image | Quote }}"
          print "        name: {{ .name | Quote }}"
          print "        ready: false"
          print "        restartCount: 0"
          print "        started: false"
          print "        state:"
          print "          terminated:"
          print "            exitCode: 0"
          print "            finishedAt: {{ $now | Quote }}"
          print "            reason: Completed"
          print "            startedAt: {{ $now | Quote }}"
          print "      {{ end }}"
        }
        { print }' "$f"
    else
      cat "$f"
    fi
  done
  cat <<EOF2
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata: { name: incluster-simulated }
spec:
  logs:
    - logsFile: $KWOK_DIR/container.log
      follow: false
EOF2
}

# What every simulated container "printed": CRI log lines, as containerd writes them.
kwok_log_file() {
  local t; t=$(date -u +%Y-%m-%dT%H:%M:%S)
  printf '%s.000000001Z stdout F kwok: simulated container started\n%s.000000002Z stdout F kwok: simulated test passed\n' "$t" "$t"
}

start_kwok() {
  mkdir -p "$KWOK_DIR" "$CFG"
  kwok_log_file | write_file "$KWOK_DIR/container.log"
  kwok_config | write_file "$CFG/kwok.yaml"
  # The API server fetches logs over HTTPS from the node's InternalIP:port (it verifies no
  # kubelet certificate here); kwok listens on loopback only.
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

# No simulated nodes wanted: remove them (while the API answers) and stop kwok.
stop_kwok() {
  pid_of kwok >/dev/null || [[ -n "$(kc get nodes -l "$KWOK_NODE_LABEL" -o name 2>/dev/null)" ]] || return 0
  kc delete nodes -l "$KWOK_NODE_LABEL" --wait=false >/dev/null 2>&1 || true
  stop_proc kwok 10
}
