# shellcheck shell=bash
# Cluster DNS: CoreDNS runs on the host (no image needed), serving only
# cluster.local on the bridge address $BRIDGE_IP:53. The usual kube-dns
# Service (ClusterIP $DNS_SVC_IP) has no selector and a hand-written EndpointSlice
# pointing at $BRIDGE_IP, so kube-proxy DNATs pod queries to it. No upstream
# forwarding: other names get SERVFAIL/REFUSED, which is what we want here.

apply_dns_objects() {
  kc apply -f - >/dev/null <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: "incluster:coredns" }
rules:
  - apiGroups: [""]
    resources: [endpoints, services, pods, namespaces]
    verbs: [list, watch]
  - apiGroups: [discovery.k8s.io]
    resources: [endpointslices]
    verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: "incluster:coredns" }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "incluster:coredns" }
subjects:
  - { apiGroup: rbac.authorization.k8s.io, kind: User, name: system:incluster-coredns }
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels: { k8s-app: kube-dns, kubernetes.io/name: CoreDNS }
spec:
  clusterIP: $DNS_SVC_IP
  ports:
    - { name: dns, port: 53, protocol: UDP, targetPort: 53 }
    - { name: dns-tcp, port: 53, protocol: TCP, targetPort: 53 }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kube-dns-host
  namespace: kube-system
  labels:
    kubernetes.io/service-name: kube-dns
    endpointslice.kubernetes.io/managed-by: incluster.dev-test-cluster
addressType: IPv4
endpoints:
  - addresses: [$BRIDGE_IP]
    conditions: { ready: true }
ports:
  - { name: dns, port: 53, protocol: UDP }
  - { name: dns-tcp, port: 53, protocol: TCP }
EOF
}

start_coredns() {
  write_file "$CFG/Corefile" <<EOF
$CLUSTER_DOMAIN:53 in-addr.arpa:53 ip6.arpa:53 {
    bind $BRIDGE_IP
    errors
    health 127.0.0.1:18080
    ready 127.0.0.1:18181
    kubernetes $CLUSTER_DOMAIN in-addr.arpa ip6.arpa {
        kubeconfig $PKI/coredns.kubeconfig incluster
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 5
    }
    cache 5
    loop
    loadbalance
}
EOF
  start_proc coredns "$COREDNS_BIN/coredns" -conf "$CFG/Corefile"
  wait_for "coredns /ready" 60 coredns curl -fsS -m 2 http://127.0.0.1:18181/ready
}
