//go:build tools

// Package tools pins sigs.k8s.io/kwok in the wrapper module; the binary is built by path
// (sigs.k8s.io/kwok/cmd/kwok) from test/cluster/build-binaries.sh.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
