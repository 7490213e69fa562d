# Smoke test of 127.0.0.1:5000/incluster/node:24, fed to `sh -s` in the image
# by build.sh (uid 1000, no network): the tools run and each runner passes a
# one-test file, Vitest's with `import ... from "vitest"` (no node_modules).
set -eu
# quiet <pattern> <command...>: the matching lines of its output; all of it if it fails.
quiet() {
  p="$1"; shift
  if out="$("$@" 2>&1)"; then printf '%s\n' "$out" | grep -E "$p" || true
  else printf '%s\n' "$out"; echo "FAILED: $*"; return 1; fi
}
echo "uid=$(id -u):$(id -g) home=$HOME pwd=$(pwd)"
echo "node $(node --version), npm $(npm --version), jest $(jest --version), $(vitest --version)"
git --version
test -w "$HOME" && test -w /workspace && echo "HOME and /workspace writable"
d="$(mktemp -d)" && cd "$d"
echo '{"name": "smoke", "private": true}' >package.json
mkdir n j v
echo 'import test from "node:test"; import assert from "node:assert"; test("node:test runs", () => assert.equal(1 + 1, 2));' >n/a.test.mjs
echo 'test("jest runs", () => expect(1 + 1).toBe(2));' >j/a.test.js
echo 'import { test, expect } from "vitest"; test("vitest runs", () => expect(1 + 1).toBe(2));' >v/a.test.mjs
quiet '^# (tests|pass|fail) ' node --test --test-reporter=tap 'n/*.test.mjs'
quiet '^Tests:' jest --ci --roots "$d/j"
quiet 'Tests +' vitest run --dir v
