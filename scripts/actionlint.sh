#!/usr/bin/env bash
# Lints the GitHub workflows (.github/workflows/*.yml) with actionlint: expression and context
# types, `needs`, permissions, action inputs, and each `run:` script through shellcheck when it is
# installed. They cannot run on this machine (GitHub is unreachable), so this is their check.
# actionlint is built from the Go module proxy at a pinned version, once, into
# ~/.cache/incluster/bin/actionlint-<version>/ (scripts/check.sh and .github/workflows/ci.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=v1.7.12 # `go list -m github.com/rhysd/actionlint@latest` in Dec 2026
BIN_DIR="${INCLUSTER_CACHE:-$HOME/.cache/incluster}/bin/actionlint-$VERSION"
GO="${GO:-go}"
if ! command -v "$GO" >/dev/null && [[ -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go; fi
if [[ ! -x "$BIN_DIR/actionlint" ]]; then
  command -v "$GO" >/dev/null || { echo "actionlint.sh: go not found (needed once to build actionlint $VERSION)" >&2; exit 3; }
  echo "actionlint.sh: building actionlint $VERSION into $BIN_DIR" >&2
  GOBIN="$BIN_DIR" GOFLAGS=-mod=mod "$GO" install "github.com/rhysd/actionlint/cmd/actionlint@$VERSION"
fi
"$BIN_DIR/actionlint" -version | head -1 >&2
command -v shellcheck >/dev/null || echo "actionlint.sh: shellcheck not installed; run: scripts are not checked" >&2
if (($# == 0)); then set -- .github/workflows/*.yml; fi
echo "actionlint.sh: $*" >&2
exec "$BIN_DIR/actionlint" -no-color "$@"
