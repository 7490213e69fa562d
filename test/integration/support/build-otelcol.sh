#!/usr/bin/env bash
# Builds the test harness's OpenTelemetry Collector (test/integration/support/otelcol: the OTLP
# receiver and the contrib file exporter, all at one release) from the Go module proxy, cached
# under ${INCLUSTER_CACHE:-$HOME/.cache/incluster}/otelcol/<version>-<hash> like the cluster's binaries.
# Prints the binary's path. Cold: about 2 min on 2 cores with the modules downloaded; cached: instant.
set -euo pipefail
OTELCOL_VERSION=v0.161.0   # the go.mod's otelcol/otlpreceiver/fileexporter release
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${INCLUSTER_CACHE:-$HOME/.cache/incluster}"
# The wrapper's own content is part of the key: an edited main.go or go.sum is a new build.
key="$(cat "$here/otelcol/main.go" "$here/otelcol/go.mod" "$here/otelcol/go.sum" | sha256sum | cut -c1-12)"
out="$cache/otelcol/$OTELCOL_VERSION-$key/bin/otelcol"
if [[ -x "$out" ]]; then echo "$out"; exit 0; fi
GO="${GO:-go}"
if ! command -v "$GO" >/dev/null && [[ -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go; fi
command -v "$GO" >/dev/null || { echo "build-otelcol: go not found (need Go >= 1.25; the machine image ships /usr/local/go)" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
echo "build-otelcol: building the OpenTelemetry Collector $OTELCOL_VERSION -> $out" >&2
(cd "$here/otelcol" && CGO_ENABLED=0 GOFLAGS=-mod=mod "$GO" build -trimpath -ldflags "-s -w" -o "$out.tmp" .) >&2
mv "$out.tmp" "$out"
echo "$out"
