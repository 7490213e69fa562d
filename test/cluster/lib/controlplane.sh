# shellcheck shell=bash
# Control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
# all bound to 127.0.0.1. Flags follow kubernetes hack/local-up-cluster.sh.

start_etcd() {
  mkdir -p "$STATE/etcd"; chmod 700 "$STATE/etcd"
  start_proc etcd "$ETCD_BIN/etcd" \
    --name incluster --data-dir "$STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "incluster=http://127.0.0.1:$ETCD_PEER_PORT" \
    --quota-backend-bytes 2147483648 \
    --snapshot-count 10000 \
    --log-level warn
  wait_for "etcd health" 60 etcd curl -fsS -m 2 "http://127.0.0.1:$ETCD_CLIENT_PORT/health"
}

start_apiserver() {
  start_proc kube-apiserver "$K8S_BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --bind-address 127.0.0.1 --secure-port "$APISERVER_PORT" \
    --advertise-address "$BRIDGE_IP" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP,Hostname \
    --service-account-key-file "$PKI/sa.pub" \
    --service-account-signing-key-file "$PKI/sa.key" \
    --service-account-issuer "https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --authorization-mode Node,RBAC \
    --enable-admission-plugins NodeRestriction \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --allow-privileged=true \
    --requestheader-client-ca-file "$PKI/front-proxy-ca.crt" \
    --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User \
    --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$PKI/front-proxy-client.crt" \
    --proxy-client-key-file "$PKI/front-proxy-client.key" \
    --profiling=false \
    --event-ttl 1h \
    --v 1
  wait_for "kube-apiserver /readyz" 120 kube-apiserver \
    curl -fsS -m 3 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "https://127.0.0.1:$APISERVER_PORT/readyz"
}

# --node-monitor-grace-period 120s (default 50s): the fault tests stop the API server for 20 s
# and restart the kubelet; with the default, the node was sometimes marked NotReady (and
# tainted) once the API server was back, holding the next test's pods unscheduled for ~90 s.
start_controller_manager() {
  start_proc kube-controller-manager "$K8S_BIN/kube-controller-manager" \
    --kubeconfig "$PKI/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$PKI/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$PKI/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 10257 \
    --client-ca-file "$PKI/ca.crt" \
    --requestheader-client-ca-file "$PKI/front-proxy-ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --root-ca-file "$PKI/ca.crt" \
    --service-account-private-key-file "$PKI/sa.key" \
    --use-service-account-credentials=true \
    --controllers '*,bootstrapsigner,tokencleaner' \
    --allocate-node-cidrs=true --cluster-cidr "$CLUSTER_CIDR" --node-cidr-mask-size 24 \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --leader-elect=false \
    --node-monitor-grace-period=120s \
    --profiling=false \
    --v 1
  start_proc kube-scheduler "$K8S_BIN/kube-scheduler" \
    --kubeconfig "$PKI/scheduler.kubeconfig" \
    --authentication-kubeconfig "$PKI/scheduler.kubeconfig" \
    --authorization-kubeconfig "$PKI/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 10259 \
    --leader-elect=false \
    --profiling=false \
    --v 1
  wait_for "kube-controller-manager /healthz" 60 kube-controller-manager \
    curl -fsSk -m 2 https://127.0.0.1:10257/healthz
  wait_for "kube-scheduler /healthz" 60 kube-scheduler \
    curl -fsSk -m 2 https://127.0.0.1:10259/healthz
}

# In-cluster access to the API: the "kubernetes" Service (10.96.0.1:443)
# points at the advertise address $BRIDGE_IP:6443; forward that (bridge only)
# to the apiserver on loopback, so pods with a ServiceAccount token can call it.
start_apiserver_proxy() {
  start_proc apiserver-proxy /usr/bin/socat \
    "TCP-LISTEN:$APISERVER_PORT,bind=$BRIDGE_IP,reuseaddr,fork" "TCP:127.0.0.1:$APISERVER_PORT"
}
