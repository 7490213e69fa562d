// The child of bench/results-scale.mjs (bundled from src/ by esbuild at bench time, so it runs the
// engine's own functions): a corpus's JUnit files → readJunit (read + parse) → failedIds for the
// retry → combineAttempts (merge) → the run's RunResult → report.html (withHtmlReport, as the run's
// `finishing` step) → result.json (the report files' writeJson), in the engine's order. Prints one
// line of JSON: the times, the files' sizes and the process's peak RSS. With --json-chunks,
// result.json is written as report/json.ts's jsonChunks gives it (what run/files.ts could do).
//   node results-pipeline.mjs <corpus dir>/manifest.json [--json-chunks]
import { closeSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { withHtmlReport } from "../src/api/html-report.js";
import { readJunit } from "../src/api/read-junit.js";
import { REPORT_HTML } from "../src/api/defaults.js";
import { RESULT_FILE, TEST_CONTAINER } from "../src/names.js";
import { jsonChunks } from "../src/report/json.js";
import type { JunitRunner } from "../src/results/junit.js";
import { failedIds } from "../src/results/merge.js";
import { RESULT_API_VERSION } from "../src/results/run-result.js";
import type { RunResult, SuiteResult } from "../src/results/run-result.js";
import { combineAttempts } from "../src/run/attempts.js";
import { reportFiles } from "../src/run/files.js";
import type { SuiteOutcome } from "../src/run/suite-run.js";

interface Manifest {
  reportDir: string;
  suites: { suite: string; runner: JunitRunner; attempts: { folder: string; junit: string; failed: boolean }[] }[];
}

/**
 * This process's own resident memory (kB) from /proc: now (VmRSS) and its peak (VmHWM). Not
 * getrusage's maxRSS, which Linux carries over from the parent across exec (the bench's driver).
 */
function rssKb(field: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) : process.resourceUsage().maxRSS;
}
const startRssKb = rssKb("VmRSS");
const manifest = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Manifest;
const dir = manifest.reportDir;
const shown = ".incluster/runs/bench1";
const at = (s: number) => new Date(Date.parse("2026-12-07T10:00:00Z") + s * 1000).toISOString();

function attemptResult(suite: string, folder: string, failed: boolean, k: number): SuiteResult {
  return {
    suite,
    verdict: failed ? "failed" : "passed",
    ...(failed ? { class: "testsFailed" as const, testExitCode: 1, reason: "testsFailed", message: "test-runner exited with code 1" } : { testExitCode: 0 }),
    exitCode: failed ? 1 : 0,
    namespace: "e2e",
    job: `test-${suite}-e2e-bench1${k ? `-r${k}` : ""}`,
    pods: [`test-${suite}-e2e-bench1-${k}abcd`],
    image: `registry.local:5000/shop/${suite}@sha256:0f3c9a`,
    commit: "4b1e2c9d7a",
    startedAt: at(k * 60),
    finishedAt: at(k * 60 + 50),
    durationSeconds: 50,
    phases: { queued: at(k * 60), scheduled: at(k * 60 + 0.1), running: at(k * 60 + 2), finished: at(k * 60 + 50) },
    logs: { [TEST_CONTAINER]: `${shown}/${folder}/${TEST_CONTAINER}.log` },
    artifacts: { dir: `${shown}/${folder}/artifacts`, files: 1, bytes: 0, dropped: [], logComplete: true },
    events: [],
    notes: [],
  };
}

const ms = (t: number) => performance.now() - t;
let parseMs = 0;
let mergeMs = 0;
let tests = 0;
const suites: SuiteResult[] = [];
for (const s of manifest.suites) {
  const outcomes: SuiteOutcome[] = [];
  const rerunIds = new Map<number, readonly string[]>();
  s.attempts.forEach((a, k) => {
    const t = performance.now();
    const parsed = readJunit(a.junit, s.runner);
    parseMs += ms(t);
    if (!parsed || parsed.problem) throw new Error(`${a.junit}: ${parsed?.problem ?? "not read"}`);
    tests += parsed.tests.length;
    outcomes.push({ result: attemptResult(s.suite, a.folder, a.failed, k), attempt: k + 1, tests: parsed.tests, job: null, pods: [], events: [] });
    if (a.failed && k + 1 < s.attempts.length) rerunIds.set(k + 2, failedIds(parsed.tests.map((x) => ({ id: x.id, status: x.status }))));
  });
  const t = performance.now();
  suites.push(combineAttempts(outcomes, { failOnFlaky: false, rerunIds }));
  mergeMs += ms(t);
}

const result: RunResult = {
  apiVersion: RESULT_API_VERSION,
  kind: "RunResult",
  runId: "bench1",
  context: "bench",
  namespace: "e2e",
  startedAt: at(0),
  finishedAt: at(130),
  exitCode: suites.some((s) => s.verdict !== "passed") ? 1 : 0,
  reportDir: shown,
  suites,
};
/** The process's peak RSS (MB) so far, after each stage. */
const peaks: Record<string, number> = {};
const peak = (stage: string) => (peaks[stage] = Math.round(rssKb("VmHWM") / 1024));
peak("parse+merge");
let t = performance.now();
const final = withHtmlReport(result, dir);
const htmlMs = ms(t);
peak("report.html");
if (final.warnings?.length) throw new Error(final.warnings.join("; "));
const files = reportFiles(dir, (abs) => abs);
t = performance.now();
if (process.argv.includes("--json-chunks")) {
  const fd = openSync(join(dir, RESULT_FILE), "w");
  for (const chunk of jsonChunks(final)) writeSync(fd, chunk);
  writeSync(fd, "\n");
  closeSync(fd);
} else await files.writeJson(RESULT_FILE, final);
const jsonMs = ms(t);
peak("result.json");
if (files.failures().length) throw new Error(JSON.stringify(files.failures()));

process.stdout.write(
  `${JSON.stringify({
    suites: suites.length,
    tests,
    merged: suites.reduce((n, s) => n + (s.tests?.length ?? 0), 0),
    parseMs,
    mergeMs,
    htmlMs,
    htmlBytes: statSync(join(dir, REPORT_HTML)).size,
    jsonMs,
    jsonBytes: statSync(join(dir, RESULT_FILE)).size,
    startRssKb,
    peakRssKb: rssKb("VmHWM"),
    peaks,
  })}\n`,
);
