#!/usr/bin/env bash
# The one script that checks everything (README's test command; .ci/run calls it):
# typecheck, lint (code and GitHub workflows), the folders' import rules (.dependency-cruiser.mjs),
# build (bundle and declarations), the committed Action bundle checked against the source ("check dist"), unit tests, then the integration tests on the project's own cluster
# (brought up if it is not running; `npm run cluster:down` removes it), then the packed-tarball
# test again on the other supported Node majors (the integration run covers the Node in use).
# Runs on a Node that package.json's engines allow: the one on PATH if it does, else Node 24
# from the npm registry (scripts/node.sh), so a machine whose own Node is older still checks.
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$(bash scripts/node.sh supported):$PATH"
export PATH
step() { printf '\n== %s (%s)\n' "$1" "$(date +%H:%M:%S)"; }
echo "== node $(node --version), npm $(npm --version)"
step typecheck;   npx tsc --noEmit
step lint;        npx eslint .
step deps;        npm run --silent deps   # cycles and upward imports between src/ folders
step actionlint;  bash scripts/actionlint.sh
step build;       npm run --silent build   # bundle, declarations, and their check that they compile alone (scripts/types.mjs)
step "action dist"; node scripts/build-action.mjs --check
step unit;        npx vitest run --project unit
step cluster;     bash test/cluster/up
step kwok;        bash test/cluster/up --kwok-nodes 10   # simulated nodes for the scale test (test/integration/scale.test.ts)
step integration; npx vitest run --project integration --no-file-parallelism
current="$(node -p 'process.versions.node.split(".")[0]')"
for major in ${INCLUSTER_PACKAGE_NODES:-22 24 26}; do
  [[ "$major" == "$current" ]] && continue
  step "package on Node $major"
  PATH="$(bash scripts/node.sh "$major"):$PATH" npx vitest run --project integration test/integration/package.test.ts
done
