# shellcheck shell=bash
# Certificates (openssl) and kubeconfigs for the test cluster, in $PKI.
# Generated once; kept across up/up, removed by down.

# ECDSA P-256 keys: generated in milliseconds (RSA-2048 took ~4 s for all of them).
_genkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; chmod 600 "$1"; }

_cert_conf() { # NAME CN O SANS(usage: "IP:1.2.3.4,DNS:x" or "") KIND(server|client|both)
  local cn="$2" o="$3" sans="$4" kind="$5" eku
  case "$kind" in server) eku=serverAuth ;; client) eku=clientAuth ;; *) eku="serverAuth,clientAuth" ;; esac
  {
    echo "[req]"; echo "distinguished_name=dn"; echo "prompt=no"; echo "[dn]"; echo "CN=$cn"
    if [[ -n "$o" ]]; then echo "O=$o"; fi
    echo "[ext]"
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature"
    echo "extendedKeyUsage=$eku"
    if [[ -n "$sans" ]]; then echo "subjectAltName=$sans"; fi
  } >"$PKI/$1.cnf"
}

# make_cert NAME CA CN O SANS KIND
make_cert() {
  local name="$1" ca="$2" cn="$3" o="$4" sans="$5" kind="$6"
  [[ -f "$PKI/$name.crt" && -f "$PKI/$name.key" ]] && return 0
  _cert_conf "$name" "$cn" "$o" "$sans" "$kind"
  _genkey "$PKI/$name.key"
  openssl req -new -key "$PKI/$name.key" -config "$PKI/$name.cnf" -out "$PKI/$name.csr"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" -CAcreateserial \
    -days 3650 -extfile "$PKI/$name.cnf" -extensions ext -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr"
}

make_ca() {
  local name="$1" cn="$2"
  [[ -f "$PKI/$name.crt" && -f "$PKI/$name.key" ]] && return 0
  _genkey "$PKI/$name.key"
  openssl req -x509 -new -nodes -key "$PKI/$name.key" -days 3650 -subj "/CN=$cn" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,digitalSignature,keyCertSign" \
    -out "$PKI/$name.crt"
}

# make_kubeconfig FILE USER CERTNAME [SERVER]: certificates embedded, so the
# file is self-contained (can be copied anywhere on this machine).
make_kubeconfig() {
  local file="$1" user="$2" cert="$3" server="${4:-https://127.0.0.1:$APISERVER_PORT}"
  (
    umask 077
    cat >"$file.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: incluster
    cluster:
      server: $server
      certificate-authority-data: $(base64 -w0 <"$PKI/ca.crt")
users:
  - name: $user
    user:
      client-certificate-data: $(base64 -w0 <"$PKI/$cert.crt")
      client-key-data: $(base64 -w0 <"$PKI/$cert.key")
contexts:
  - name: incluster
    context: { cluster: incluster, user: $user }
current-context: incluster
EOF
  )
  mv "$file.tmp" "$file"
}

setup_pki() {
  mkdir -p "$PKI"; chmod 700 "$PKI"
  make_ca ca "incluster-ca"
  make_ca front-proxy-ca "incluster-front-proxy-ca"
  local apisans="IP:127.0.0.1,IP:$KUBERNETES_SVC_IP,IP:$BRIDGE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN"
  make_cert apiserver ca kube-apiserver "" "$apisans" server
  make_cert apiserver-kubelet-client ca kube-apiserver-kubelet-client system:masters "" client
  make_cert front-proxy-client front-proxy-ca front-proxy-client "" "" client
  make_cert admin ca incluster-admin system:masters "" client
  make_cert controller-manager ca system:kube-controller-manager "" "" client
  make_cert scheduler ca system:kube-scheduler "" "" client
  make_cert kubelet ca "system:node:$NODE_NAME" system:nodes "" client
  make_cert kubelet-serving ca "$NODE_NAME" "" "IP:$BRIDGE_IP,DNS:$NODE_NAME" server
  make_cert kube-proxy ca system:kube-proxy "" "" client
  make_cert coredns ca system:incluster-coredns "" "" client
  if [[ ! -f "$PKI/sa.key" ]]; then
    _genkey "$PKI/sa.key"
    openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub"
  fi
  local n
  for n in admin controller-manager scheduler kubelet kube-proxy coredns; do
    [[ -f "$PKI/$n.kubeconfig" ]] || make_kubeconfig "$PKI/$n.kubeconfig" "$n" "$n"
  done
}
