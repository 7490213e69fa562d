//go:build tools

// Package tools exists so the wrapper module has a Go file; the binaries are
// built by path (k8s.io/kubernetes/cmd/...) from test/cluster/build-binaries.sh.
package tools
