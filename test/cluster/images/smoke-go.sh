# Smoke test of 127.0.0.1:5000/incluster/go:1.19, fed to `sh -s` in the image
# by build.sh as uid 1000, no network, read-only root filesystem (only /tmp is
# writable): go test builds and passes a package with a subtest.
set -eu
echo "uid=$(id -u):$(id -g) home=$HOME"
go version
go env GOPATH GOCACHE GOMODCACHE GOFLAGS GOPROXY CGO_ENABLED | tr '\n' ' '; echo
git --version
d="$(mktemp -d)" && cd "$d"
printf 'module smoke\n\ngo 1.19\n' >go.mod
printf 'package smoke\n\nfunc Sum(a, b int) int { return a + b }\n' >sum.go
cat >sum_test.go <<'GO'
package smoke

import "testing"

func TestSum(t *testing.T) {
	t.Run("small", func(t *testing.T) {
		if Sum(1, 1) != 2 {
			t.Fatal("1+1")
		}
	})
}
GO
go vet ./...
out="$(go test -count=1 -v ./... 2>&1)" || { echo "$out"; exit 1; }
echo "$out" | grep -E '^( *--- |ok)'
