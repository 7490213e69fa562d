# shellcheck shell=bash
# The node: bridge cni0, sysctls, containerd (Debian 1.6) with its own
# root/state/socket, CNI (bridge + host-local + portmap), the locally built
# pause image, kubelet (cgroupfs, cgroup v1) and kube-proxy (iptables).

# --- network -----------------------------------------------------------------
setup_bridge() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    log "created bridge $BRIDGE"
  fi
  # (no `| grep -q` under pipefail: an early grep exit fails the pipeline with SIGPIPE)
  [[ "$(ip -4 -o addr show dev "$BRIDGE")" == *" $BRIDGE_IP/24 "* ]] || ip addr add "$BRIDGE_IP/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # Pods talk to each other, to Services and to the host (INPUT); nothing they
  # send is forwarded off the bridge (this workplace allows no other traffic).
  iptables -N INCLUSTER-FORWARD 2>/dev/null || true
  iptables -F INCLUSTER-FORWARD
  iptables -A INCLUSTER-FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT
  iptables -A INCLUSTER-FORWARD -i "$BRIDGE" -j DROP
  iptables -A INCLUSTER-FORWARD -o "$BRIDGE" -j ACCEPT
  iptables -C FORWARD -j INCLUSTER-FORWARD 2>/dev/null || iptables -I FORWARD 1 -j INCLUSTER-FORWARD
  # Pods may reach the host only on the bridge address (DNS, API proxy, git,
  # kubelet); not the host's other addresses (eth0) or anything listening there.
  iptables -N INCLUSTER-INPUT 2>/dev/null || true
  iptables -F INCLUSTER-INPUT
  iptables -A INCLUSTER-INPUT -i "$BRIDGE" -d "$BRIDGE_IP" -j ACCEPT
  iptables -A INCLUSTER-INPUT -i "$BRIDGE" -m addrtype --dst-type BROADCAST,MULTICAST -j ACCEPT
  iptables -A INCLUSTER-INPUT -i "$BRIDGE" -j DROP
  iptables -C INPUT -j INCLUSTER-INPUT 2>/dev/null || iptables -I INPUT 1 -j INCLUSTER-INPUT
}

save_and_set_sysctls() {
  local f="$STATE/sysctl.saved" k
  if [[ ! -f "$f" ]]; then
    mkdir -p "$STATE"
    for k in "${SYSCTLS[@]}"; do
      sysctl -n "$k" >/dev/null 2>&1 && echo "$k=$(sysctl -n "$k" | tr '\t' ' ')"
    done >"$f.tmp"
    mv "$f.tmp" "$f"
    log "saved sysctls to $f: $(tr '\n' ' ' <"$f")"
  fi
  sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1
}

restore_sysctls() {
  local f="$STATE/sysctl.saved" line
  [[ -f "$f" ]] || return 0
  while IFS= read -r line; do
    [[ -n "$line" ]] && sysctl -qw "$line" 2>/dev/null || log "could not restore $line"
  done <"$f"
  log "restored sysctls: $(tr '\n' ' ' <"$f")"
  rm -f "$f"
}

# --- containerd --------------------------------------------------------------
write_containerd_config() {
  mkdir -p "$CFG/certs.d/127.0.0.1:5000" "$CFG/certs.d/127.0.0.1:5001" "$CFG/cni" "$STATE/containerd" "$RUN/containerd" "$STATE/cni/ipam"
  write_file "$CFG/containerd.toml" <<EOF
# Written by test/cluster/lib/node.sh
version = 2
root = "$STATE/containerd"
state = "$RUN/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$STATE/containerd-opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  # No CAP_SYS_RESOURCE here: runc cannot lower oom_score_adj (sandbox -998,
  # Guaranteed -997), so clamp every value to containerd's own.
  restrict_oom_score_adj = true
  max_container_log_line_size = 65536
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "/usr/sbin/runc"
        Root = "$RUN/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CFG/cni"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$CFG/certs.d"
EOF
  write_file "$CFG/certs.d/127.0.0.1:5000/hosts.toml" <<'EOF'
server = "http://127.0.0.1:5000"
[host."http://127.0.0.1:5000"]
  capabilities = ["pull", "resolve"]
EOF
  # The authenticated registry (registry.sh): plain HTTP too; the credentials come with each pull
  # from the pod's imagePullSecrets, never from this file.
  write_file "$CFG/certs.d/127.0.0.1:5001/hosts.toml" <<'EOF'
server = "http://127.0.0.1:5001"
[host."http://127.0.0.1:5001"]
  capabilities = ["pull", "resolve"]
EOF
  write_file "$CFG/cni/10-incluster.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "incluster",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$POD_SUBNET", "gateway": "$BRIDGE_IP" }]],
        "routes": [{ "dst": "0.0.0.0/0" }],
        "dataDir": "$STATE/cni/ipam"
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
}

ctr_() { ctr --address "$CONTAINERD_SOCK" "$@"; }

start_containerd() {
  write_containerd_config
  start_proc containerd /usr/bin/containerd --config "$CFG/containerd.toml"
  wait_for "containerd socket" 60 containerd ctr_ version
}

# Wrap a root filesystem directory as a single-layer OCI image archive that
# `ctr images import` understands (index annotation io.containerd.image.name).
make_oci_archive() { # ROOTFS_DIR IMAGE_NAME OUT_TAR [ENTRYPOINT_JSON] [USER]
  local rootfs="$1" name="$2" out="$3" entry="${4:-[\"/pause\"]}" user="${5:-65535:65535}" w
  w=$(mktemp -d)
  mkdir -p "$w/blobs/sha256"
  tar -C "$rootfs" --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -cf "$w/layer.tar" .
  local ld ls cd cs md ms
  ld=$(sha256sum "$w/layer.tar" | cut -d' ' -f1); ls=$(stat -c %s "$w/layer.tar")
  mv "$w/layer.tar" "$w/blobs/sha256/$ld"
  printf '{"architecture":"amd64","os":"linux","config":{"Entrypoint":%s,"User":"%s"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$entry" "$user" "$ld" >"$w/config.json"
  cd=$(sha256sum "$w/config.json" | cut -d' ' -f1); cs=$(stat -c %s "$w/config.json")
  mv "$w/config.json" "$w/blobs/sha256/$cd"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
    "$cd" "$cs" "$ld" "$ls" >"$w/manifest.json"
  md=$(sha256sum "$w/manifest.json" | cut -d' ' -f1); ms=$(stat -c %s "$w/manifest.json")
  mv "$w/manifest.json" "$w/blobs/sha256/$md"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$md" "$ms" "$name" "${name##*:}" >"$w/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' >"$w/oci-layout"
  tar -C "$w" -cf "$out" oci-layout index.json blobs
  rm -rf "$w"
}

import_pause_image() {
  has_pause_image() { local l; l=$(ctr_ -n k8s.io images ls -q) && grep -qxF "$PAUSE_IMAGE" <<<"$l"; }
  if has_pause_image; then return 0; fi
  local tarball="$PAUSE_DIR/pause-image.tar"
  if [[ ! -f "$tarball" || "$PAUSE_DIR/pause" -nt "$tarball" ]]; then
    local r; r=$(mktemp -d)
    install -m 0755 "$PAUSE_DIR/pause" "$r/pause"
    make_oci_archive "$r" "$PAUSE_IMAGE" "$tarball"
    rm -rf "$r"
  fi
  ctr_ -n k8s.io images import "$tarball" >/dev/null
  has_pause_image || die "pause image import failed"
  log "imported $PAUSE_IMAGE ($(stat -c %s "$tarball") bytes)"
}

# --- kubelet -------------------------------------------------------------------
start_kubelet() {
  mkdir -p "$KUBELET_DIR" "$STATE/pod-logs"
  echo "nameserver $BRIDGE_IP" | write_file "$CFG/resolv.conf"
  write_file "$CFG/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $BRIDGE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $PKI/ca.crt }
authorization:
  mode: Webhook
cgroupDriver: cgroupfs
cgroupsPerQOS: true
enforceNodeAllocatable: []
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
clusterDNS: [$DNS_SVC_IP]
clusterDomain: $CLUSTER_DOMAIN
resolvConf: $CFG/resolv.conf
podLogsDir: $STATE/pod-logs
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
imageMinimumGCAge: 24h
evictionHard:
  memory.available: "50Mi"
  nodefs.available: "1%"
  nodefs.inodesFree: "1%"
  imagefs.available: "1%"
evictionPressureTransitionPeriod: 30s
serializeImagePulls: false
rotateCertificates: false
serverTLSBootstrap: false
protectKernelDefaults: false
maxPods: 110
containerLogMaxSize: 10Mi
containerLogMaxFiles: 2
nodeStatusReportFrequency: 1m
syncFrequency: 10s
fileCheckFrequency: 20s
staticPodPath: ""
EOF
  start_proc kubelet "$K8S_BIN/kubelet" \
    --config "$CFG/kubelet.yaml" \
    --kubeconfig "$PKI/kubelet.kubeconfig" \
    --root-dir "$KUBELET_DIR" \
    --cert-dir "$KUBELET_DIR/pki" \
    --hostname-override "$NODE_NAME" \
    --node-ip "$BRIDGE_IP" \
    --v 1
  wait_for "kubelet /healthz" 90 kubelet curl -fsS -m 2 http://127.0.0.1:10248/healthz
}

start_kube_proxy() {
  write_file "$CFG/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: $PKI/kube-proxy.kubeconfig
mode: iptables
clusterCIDR: $CLUSTER_CIDR
hostnameOverride: $NODE_NAME
bindAddress: 127.0.0.1
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
nodePortAddresses: ["$BRIDGE_IP/32"]
iptables:
  localhostNodePorts: false
  syncPeriod: 10s
  minSyncPeriod: 1s
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
EOF
  start_proc kube-proxy "$K8S_BIN/kube-proxy" --config "$CFG/kube-proxy.yaml" --v 1
  wait_for "kube-proxy /healthz" 60 kube-proxy curl -fsS -m 2 http://127.0.0.1:10256/healthz
}
