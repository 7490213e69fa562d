// The test-runner container's inline script: what the guide's /app/run_test.py does, written
// into the manifest so any image with python3 and pytest works and nothing has to be baked in.
// It ends with exec, so the test process gets the pod's signals and its exit code is the pod's.
import type { ResolvedSuite } from "../config/resolve.js";
import { looksSecret, shq } from "./shell.js";

/** $0 for `sh -c`: a command suite's argv follows it as "$@". */
export const RUNNER_ARG0 = "incluster-runner";

export function runnerScript(suite: ResolvedSuite): string {
  const lines = [
    "set -eu",
    `echo "== incluster: suite ${suite.name} =="`,
    ...workspaceCheck(suite),
    "cd /workspace",
    "# uid 1000 may have no home in this image; pip --user and git need a writable one.",
    'if [ ! -w "${HOME:-/nonexistent}" ]; then export HOME=/tmp; fi',
    "if command -v git >/dev/null 2>&1; then",
    "  git config --global --add safe.directory /workspace || true",
    `  echo "commit: $(git -C /workspace rev-parse --short HEAD 2>/dev/null || echo 'unknown: not a git checkout')"`,
    "fi",
    ...envPrint(suite.env, suite.envRefs),
    ...install(suite.install),
    ...run(suite),
  ];
  return lines.join("\n") + "\n";
}

function workspaceCheck(suite: ResolvedSuite): string[] {
  const why =
    suite.source.kind !== "image"
      ? "the clone-repo init container should have cloned the repository there"
      : "source.image expects the test image to contain the code at /workspace";
  return [
    'if [ ! -d /workspace ] || [ -z "$(ls -A /workspace)" ]; then',
    `  echo "error: /workspace is missing or empty: ${why}" >&2`,
    "  exit 1",
    "fi",
  ];
}

function envPrint(env: Record<string, string>, refs: ResolvedSuite["envRefs"] = {}): string[] {
  const names = Object.keys(env);
  if (names.length === 0 && Object.keys(refs).length === 0) return [];
  const shown = names.filter((n) => !looksSecret(n));
  const hidden = names.filter(looksSecret);
  // Values from Secrets/ConfigMaps are never printed: only where they come from.
  const fromRefs = Object.entries(refs).map(([n, r]) => ("secretKeyRef" in r ? `echo "  ${n}=(from Secret ${r.secretKeyRef.name}, hidden)"` : `echo "  ${n}=(from ConfigMap ${r.configMapKeyRef.name})"`));
  return [
    'echo "environment:"',
    ...(shown.length ? [`for name in ${shown.join(" ")}; do echo "  $name=$(printenv "$name")"; done`] : []),
    ...hidden.map((n) => `echo "  ${n}=(hidden)"`),
    ...fromRefs,
  ];
}

function install(command: string | undefined): string[] {
  if (!command) return [];
  return [
    `echo ${shq(`+ ${command}`)}`,
    `sh -ec ${shq(command)} || { echo "error: install failed with exit code $?" >&2; exit 1; }`,
  ];
}

function run(suite: ResolvedSuite): string[] {
  if (suite.runner.kind === "command") return ['echo "+ $*"', 'exec "$@"'];
  const argv = ["python3", "-m", "pytest", suite.runner.test, "-v", "-s", "--tb=short"];
  const cmd = argv.map(shq).join(" ");
  return [`echo ${shq(`+ ${cmd}`)}`, `exec ${cmd}`];
}
