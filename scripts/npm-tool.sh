#!/usr/bin/env bash
# Prints the bin directory of an npm package's commands at an exact version, installing it first
# if it is not cached: `scripts/npm-tool.sh jest 30.5.2` → ~/.cache/incluster/npm-tool/jest@30.5.2/node_modules/.bin.
# A package whose command has another name says it third: `scripts/npm-tool.sh @playwright/test 1.65.2 playwright`.
# As a runner image's global install puts them on PATH: the runner adapters' unit tests and
# test/fixtures/runners/record.ts run Jest this way (the repository does not depend on it).
# Needs the npm registry the first time only; a run with no network works once it is cached.
set -euo pipefail

pkg="${1:?usage: scripts/npm-tool.sh <package> <exact version>}"
version="${2:?usage: scripts/npm-tool.sh <package> <exact version>}"
command="${3:-$pkg}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "[npm-tool.sh] an exact version, not '$version'" >&2; exit 1; }
cache="${INCLUSTER_CACHE:-$HOME/.cache/incluster}/npm-tool"
dir="$cache/$pkg@$version"

if [[ ! -x "$dir/node_modules/.bin/$command" ]]; then
  echo "[npm-tool.sh] installing $pkg@$version from the npm registry" >&2
  mkdir -p "$cache" "$(dirname "$dir")"
  tmp="$(mktemp -d "$cache/.tmp.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm install --silent --no-audit --no-fund --no-save --prefix . "$pkg@$version" >&2)
  [[ -x "$tmp/node_modules/.bin/$command" ]] || { echo "[npm-tool.sh] $pkg@$version has no command $command" >&2; exit 1; }
  rm -rf "$dir"
  mv "$tmp" "$dir"
fi
echo "$dir/node_modules/.bin"
