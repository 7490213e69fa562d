// The test-runner container's inline script: what the guide's /app/run_test.py does, written
// into the manifest so any image with python3 and pytest works and nothing has to be baked in.
// Everything it prints is also kept in the pod (OUT_DIR/test-runner.log, via tee), so the saved
// log is whole even when the kubelet rotated lines away before a reader got them. Its stage
// (source, install, test) goes to the termination message: a typed channel the verdict reads,
// never the log text.
import type { ResolvedSuite } from "../config/resolve.js";
import { ARTIFACTS_DIR, CLONE_MARKERS, LOG_COPY, OUT_DIR, TESTS_ENDED_MARKER } from "../names.js";
import { runnerAdapter } from "../runners/index.js";
import { looksSecret, shq } from "./shell.js";

/** $0 for `sh -c`: a command suite's argv follows it as "$@". */
export const RUNNER_ARG0 = "incluster-runner";

export { PYTEST_JUNIT } from "../config/resolve.js";

export { SHARD_COUNT_ENV, SHARD_INDEX_ENV } from "../names.js";
export { SHARD_PY } from "../runners/pytest.js";

/**
 * The first line the runner prints: a follow whose first line is another one started after the
 * kubelet had rotated the beginning of the log away (run/suite-logs.ts). Suite names are DNS
 * labels: nothing in it needs quoting.
 */
export function runnerBanner(suite: string): string {
  return `== incluster: suite ${suite} ==`;
}

/** The stages the runner reports in its termination message: {"stage": …, "exitCode": …}. */
export const RUNNER_STAGES = ["source", "install", "test"] as const;
export type RunnerStage = (typeof RUNNER_STAGES)[number];

export function runnerScript(suite: ResolvedSuite, rerunIds?: readonly string[]): string {
  const main = [
    "set -eu",
    `echo "${runnerBanner(suite.name)}"`,
    ...workspaceCheck(suite),
    "cd /workspace",
    "# The pod's uid (1000, or one the platform assigns) may have no home in this image; pip --user and git need a writable one.",
    'if [ ! -w "${HOME:-/nonexistent}" ]; then export HOME=/tmp; fi',
    "if command -v git >/dev/null 2>&1; then",
    "  git config --global --add safe.directory /workspace || true",
    `  echo "commit: $(git -C /workspace rev-parse --short HEAD 2>/dev/null || echo 'unknown: not a git checkout')"`,
    "fi",
    ...envPrint(suite.env, suite.envRefs),
    ...install(suite.install),
    "stage test",
    ...testLines(suite, rerunIds),
  ];
  return [
    // What the runner writes stays writable to the pod's group (fsGroup): the collector and a
    // platform-assigned uid (runAsUser: auto) read and write it through the group, not uid 1000.
    "umask 0002",
    `out=${OUT_DIR}`,
    `mkdir -p ${ARTIFACTS_DIR}`,
    'stage() { printf %s "$1" > "$out/stage"; }',
    "stage source",
    "main() {",
    ...main.map((l) => `  ${l}`),
    "}",
    "# The output goes to the pod's log and, whole, to the copy incluster collects.",
    `{ (main "$@"); echo $? > "$out/${TESTS_ENDED_MARKER}"; } 2>&1 | tee -a "$out/${LOG_COPY}"`,
    `code=$(cat "$out/${TESTS_ENDED_MARKER}" 2>/dev/null || echo 1)`,
    'printf \'{"stage":"%s","exitCode":%s}\' "$(cat "$out/stage")" "$code" > /dev/termination-log 2>/dev/null || true',
    'exit "$code"',
  ].join("\n") + "\n";
}

function workspaceCheck(suite: ResolvedSuite): string[] {
  const cloned = suite.source.kind !== "image";
  const why = cloned
    ? "the clone-repo container should have cloned the repository there"
    : "source.image expects the test image to contain the code at /workspace";
  // The clone runs beside this container: wait for its marker (a sleep without fractions waits 1 s).
  const wait = cloned
    ? [
        `while [ ! -e ${OUT_DIR}/${CLONE_MARKERS.ok} ]; do`,
        `  if [ -e ${OUT_DIR}/${CLONE_MARKERS.failed} ]; then ` +
          `echo "error: the clone-repo container failed (exit code $(cat ${OUT_DIR}/${CLONE_MARKERS.failed})); its log says why" >&2; exit 1; fi`,
        "  sleep 0.05 2>/dev/null || sleep 1",
        "done",
      ]
    : [];
  return [
    ...wait,
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
  // Quoted as one shell word each: a name is pasted into the script, never interpreted by it.
  const fromRefs = Object.entries(refs).map(
    ([n, r]) =>
      `echo ${shq("secretKeyRef" in r ? `  ${n}=(from Secret ${r.secretKeyRef.name}, hidden)` : `  ${n}=(from ConfigMap ${r.configMapKeyRef.name})`)}`,
  );
  return [
    'echo "environment:"',
    ...(shown.length ? [`for name in ${shown.join(" ")}; do printf '  %s=%s\\n' "$name" "$(printenv "$name")"; done`] : []),
    ...hidden.map((n) => `echo "  ${n}=(hidden)"`),
    ...fromRefs,
  ];
}

function install(command: string | undefined): string[] {
  if (!command) return [];
  return [
    "stage install",
    `echo ${shq(`+ ${command}`)}`,
    `sh -ec ${shq(command)} || { code=$?; echo "error: install failed with exit code $code" >&2; exit "$code"; }`,
  ];
}

/** The sh lines that run the suite's tests (a command, or its runner's adapter; `rerunIds`: only these); `dev` runs them in its held pod. */
export function testLines(suite: ResolvedSuite, rerunIds?: readonly string[]): string[] {
  // A command runs as written (after the setup of the runner whose report it writes, if it names one).
  if (suite.runner.kind === "command") {
    const setup = suite.runner.reads ? runnerAdapter(suite.runner.reads).commandSetup() : [];
    return [...setup, 'echo "+ $*"', '"$@"'];
  }
  // The runner's adapter: its command and report; a retry runs only the failed ids; a shard its share.
  const sharded = (suite.shards ?? 1) > 1;
  return runnerAdapter(suite.runner.kind).script(suite.runner.test, { ...(rerunIds?.length ? { rerun: rerunIds } : {}), ...(sharded ? { sharded } : {}) });
}
