#!/usr/bin/env bash
# The one script that checks everything (README's test command; .ci/run calls it):
# typecheck, lint (code and GitHub workflows), bundle, the committed Action bundle checked against
# the source ("check dist"), unit tests, then the integration tests on the project's own cluster
# (brought up if it is not running; `npm run cluster:down` removes it).
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s (%s)\n' "$1" "$(date +%H:%M:%S)"; }
step typecheck;   npx tsc --noEmit
step lint;        npx eslint .
step actionlint;  bash scripts/actionlint.sh
step bundle;      node scripts/bundle.mjs
step "action dist"; node scripts/build-action.mjs --check
step unit;        npx vitest run --project unit
step cluster;     bash test/cluster/up
step kwok;        bash test/cluster/up --kwok-nodes 10   # simulated nodes for the scale test (test/integration/scale.test.ts)
step integration; npx vitest run --project integration --no-file-parallelism
