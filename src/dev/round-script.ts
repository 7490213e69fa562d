// One dev round as one pods/exec: the changed files unpacked from stdin (a tar), the deleted ones
// removed, the install once per pod, then the tests through the suite's runner lines. The tests'
// output goes to stderr (streamed as the round's log), stdout carries only the runner's report,
// read back when the tests end, and the exec's exit code is the runner's. Pure.
import type { ResolvedSuite } from "../config/resolve.js";
import { ARTIFACTS_DIR, OUT_DIR } from "../names.js";
import { testLines } from "../render/runner-script.js";
import { shq } from "../render/shell.js";
import { WORKSPACE } from "../render/job.js";
import { DEV_ACTIVE_MARKER } from "./pod.js";

/** The round's exit code when the files could not be put in place (tar, rm): not a runner's (they use 0-5). */
export const SYNC_FAILED_EXIT = 213;
/** The round's exit code when the suite's install line failed. */
export const INSTALL_FAILED_EXIT = 214;
/** $0 of the round's `sh -c`: a command suite's argv follows it as "$@". */
export const DEV_ROUND_ARG0 = "incluster-dev-round";
const INSTALLED_MARKER = `${OUT_DIR}/.dev-installed`;

export interface RoundPlan {
  /** A tar of the changed files comes on stdin. */
  tar: boolean;
  /** Paths (relative to the workspace) to remove. */
  deleted: readonly string[];
  /** Only these tests (the runner's ids or files); all when absent. */
  only?: readonly string[];
  /** The suite's report under the artifacts directory, printed on stdout after the tests. */
  reportFile?: string;
}

/** argv of the round's exec in the test container. */
export function roundCommand(suite: ResolvedSuite, p: RoundPlan): string[] {
  const install = suite.install
    ? [
        `if [ ! -e ${INSTALLED_MARKER} ]; then`,
        `  echo ${shq(`+ ${suite.install}`)} >&2`,
        `  sh -ec ${shq(suite.install)} >&2 || exit ${INSTALL_FAILED_EXIT}`,
        `  touch ${INSTALLED_MARKER}`,
        "fi",
      ]
    : [];
  const report = p.reportFile ? `${ARTIFACTS_DIR}/${p.reportFile}` : undefined;
  const script = [
    "umask 0002",
    `touch ${DEV_ACTIVE_MARKER}`,
    `cd ${WORKSPACE} || exit ${SYNC_FAILED_EXIT}`,
    ...(p.tar ? [`tar -xf - -C ${WORKSPACE} || exit ${SYNC_FAILED_EXIT}`] : []),
    ...(p.deleted.length ? [`rm -f -- ${p.deleted.map(shq).join(" ")} || exit ${SYNC_FAILED_EXIT}`] : []),
    `mkdir -p ${ARTIFACTS_DIR}`,
    ...(report ? [`rm -f ${shq(report)}`] : []),
    // The pod's uid may have no home in this image; pip --user and git need a writable one.
    'if [ ! -w "${HOME:-/nonexistent}" ]; then export HOME=/tmp; fi',
    ...install,
    `(set -eu; ${testLines(suite, p.only).join("\n")}\n) >&2`,
    "code=$?",
    ...(report ? [`cat ${shq(report)} 2>/dev/null`] : []),
    'exit "$code"',
  ].join("\n");
  const argv = suite.runner.kind === "command" ? suite.runner.argv : [];
  return ["/bin/sh", "-c", script, DEV_ROUND_ARG0, ...argv];
}
