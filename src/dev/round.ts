// One round of `incluster dev` in the held pod: one pods/exec that takes the changed files as a
// tar on stdin and runs the tests (round-script.ts); the tests' output streamed line by line as
// `log` events, the report read back from the exec's stdout into the suite's tests, and the
// verdict decided by roundVerdict (pure) from the exec's exit code.
import { Readable, Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { ResolvedSuite } from "../config/resolve.js";
import { suiteReport } from "../config/report.js";
import type { FailureClass, Verdict } from "../diagnose/types.js";
import type { EventBody } from "../events/types.js";
import { ExitCode } from "../exit-codes.js";
import type { ClusterPort, KubeError } from "../kube/port.js";
import { TEST_CONTAINER } from "../names.js";
import { mergeAttempts } from "../results/merge.js";
import { parseReport } from "../results/report.js";
import type { SuiteResult } from "../results/run-result.js";
import { INSTALL_FAILED_EXIT, SYNC_FAILED_EXIT, roundCommand } from "./round-script.js";

export interface RoundInput {
  port: ClusterPort;
  suite: ResolvedSuite;
  namespace: string;
  pod: string;
  /** The changed files as a tar, when any were written. */
  archive?: Buffer;
  deleted: readonly string[];
  /** Only these tests (--changed); all when absent. */
  only?: readonly string[];
  emit(body: EventBody): void;
  now(): number;
}

export interface RoundVerdict {
  verdict: Verdict;
  exitCode: ExitCode;
  class?: FailureClass;
  reason?: string;
  message?: string;
}

/** The round's verdict from its exec's exit code (undefined: the exec broke, `error` says how). Pure. */
export function roundVerdict(code: number | undefined, error: KubeError | undefined): RoundVerdict {
  if (code === 0) return { verdict: "passed", exitCode: ExitCode.ok };
  if (code === SYNC_FAILED_EXIT) {
    const message = "the changed files could not be put in /workspace";
    return { verdict: "couldNotRun", exitCode: ExitCode.couldNotRun, class: "sourceFailed", reason: "SyncFailed", message };
  }
  if (code === INSTALL_FAILED_EXIT) {
    return { verdict: "failed", exitCode: ExitCode.testsFailed, class: "installFailed", reason: "InstallFailed", message: "the suite's install line failed" };
  }
  if (code === undefined) {
    const why = error?.message ?? "the exec stream closed without a status";
    const denied = error?.status === 403;
    return { verdict: "couldNotRun", exitCode: ExitCode.couldNotRun, class: denied ? "forbidden" : "podDeleted", reason: "ExecFailed", message: why };
  }
  return { verdict: "failed", exitCode: ExitCode.testsFailed, class: "testsFailed", reason: "TestsFailed", message: `the tests exited with code ${code}` };
}

/** Runs one round in the pod; the suite's result of this round (its tests when the runner's report came back). */
export async function runRound(r: RoundInput): Promise<SuiteResult> {
  const started = r.now();
  const report = suiteReport(r.suite);
  const argv = roundCommand(r.suite, {
    tar: Boolean(r.archive),
    deleted: r.deleted,
    ...(r.only ? { only: r.only } : {}),
    ...(report ? { reportFile: report.file } : {}),
  });
  const chunks: Buffer[] = [];
  const stdout = new Writable({ write: (c: Buffer, _e, done) => (chunks.push(Buffer.from(c)), done()) });
  // The output as whole lines, a character split across chunks kept whole.
  const decoder = new StringDecoder("utf8");
  let pending = "";
  const line = (text: string) => r.emit({ type: "log", suite: r.suite.name, pod: r.pod, container: TEST_CONTAINER, line: text.replace(/\r$/, "") });
  const lines = (text: string) => {
    const parts = (pending + text).split("\n");
    pending = parts.pop() ?? "";
    parts.forEach(line);
  };
  const stderr = new Writable({ write: (c: Buffer, _e, done) => (lines(decoder.write(c)), done()) });
  const x = await r.port.exec(
    { namespace: r.namespace, pod: r.pod, container: TEST_CONTAINER, command: argv, ...(r.archive ? { stdin: Readable.from([r.archive]) } : {}) },
    stdout,
    stderr,
  );
  pending += decoder.end();
  if (pending) line(pending);
  const v = roundVerdict(x.exitCode, x.error);
  const text = Buffer.concat(chunks).toString("utf8");
  const parsed = report && text.trim() ? parseReport(report.reader, text) : undefined;
  const finished = r.now();
  const src = r.suite.source;
  return {
    suite: r.suite.name,
    verdict: v.verdict,
    ...(v.class ? { class: v.class } : {}),
    exitCode: v.exitCode,
    ...(x.exitCode !== undefined ? { testExitCode: x.exitCode } : {}),
    ...(v.reason ? { reason: v.reason } : {}),
    ...(v.message ? { message: v.message } : {}),
    namespace: r.namespace,
    job: "",
    pods: [r.pod],
    image: r.suite.image,
    ...(src.kind !== "image" && src.commit ? { commit: src.commit } : {}),
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationSeconds: (finished - started) / 1000,
    phases: {},
    logs: {},
    events: [],
    notes: parsed?.problem ? [`report: ${parsed.problem}`] : [],
    ...(parsed ? { tests: mergeAttempts([parsed.tests]) } : {}),
  };
}
