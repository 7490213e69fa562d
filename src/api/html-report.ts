// report.html in a run's report directory: reads what the pure renderer (report/html.ts) needs —
// the pods saved per suite and attempt, the end of each failing container's log — and writes the
// page beside result.json. Called at the end of every run, before run.finished (api/run.ts), and by `incluster report`.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, writeSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import type { Pod } from "../k8s-types.js";
import { EXCERPT_READ_BYTES, excerptOf, excerptTargets } from "../report/excerpts.js";
import type { LogTail } from "../report/excerpts.js";
import { htmlParts } from "../report/html.js";
import type { HtmlReportInput } from "../report/html.js";
import type { RunResult } from "../results/run-result.js";
import { timelineOf } from "../report/timeline.js";
import type { SavedPods } from "../report/timeline.js";
import { attemptKey, logKey } from "../run/attempt-key.js";
import { REPORT_HTML } from "./defaults.js";

export { REPORT_HTML };

/** The end of a file (at most `bytes`), and whether that is all of it; undefined when it cannot be read. */
function readTail(file: string, bytes: number): { text: string; complete: boolean } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const size = fstatSync(fd).size;
    const n = Math.min(size, bytes);
    const buf = Buffer.alloc(n);
    readSync(fd, buf, 0, n, size - n);
    return { text: buf.toString("utf8"), complete: n === size };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function readPods(file: string): Pod[] {
  try {
    const v = JSON.parse(readFileSync(file, "utf8")) as unknown;
    return Array.isArray(v) ? (v as Pod[]) : [];
  } catch {
    return [];
  }
}

/** Renders report.html from a run's result and the files beside it; `dir` is the report directory on disk. Returns the page's path. */
export function writeHtmlReport(result: RunResult, dir: string): string {
  // Paths in the result are as the run showed them: below its report dir, or absolute.
  const onDisk = (shown: string) =>
    shown.startsWith(`${result.reportDir}/`) ? join(dir, shown.slice(result.reportDir.length + 1)) : isAbsolute(shown) ? shown : join(dir, shown);
  const pods: Record<string, SavedPods> = {};
  for (const s of result.suites) {
    const attempts: Record<number, Pod[]> = {};
    for (const a of s.attempts ?? []) attempts[a.attempt] = readPods(join(dir, attemptKey(s.suite, a.attempt), "pods.json"));
    pods[s.suite] = { suite: readPods(join(dir, s.suite, "pods.json")), attempts };
  }
  const excerpts = excerptTargets(result).flatMap((t) => {
    const key = logKey(t.suite, t.attempt ?? (t.shard !== undefined && result.suites.find((s) => s.suite === t.suite)?.attempts ? 1 : undefined), t.shard);
    const shown = t.path ?? join(result.reportDir, key, `${t.container}.log`);
    const read = readTail(t.path ? onDisk(t.path) : join(dir, key, `${t.container}.log`), EXCERPT_READ_BYTES);
    if (!read) return [];
    const tail: LogTail = { ...t, path: shown, ...read };
    return [excerptOf(tail, result.suites.find((s) => s.suite === t.suite))];
  });
  const file = join(dir, REPORT_HTML);
  writeParts(file, { result, timeline: timelineOf(result, pods), excerpts, version: pkg.version });
  return file;
}

/** The page written part by part, about 64 KB at a time: a run of 100,000 tests never holds the whole page as one string. */
function writeParts(file: string, input: HtmlReportInput): void {
  const fd = openSync(file, "w");
  const write = (text: string) => {
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
  };
  try {
    let pending: string[] = [];
    let size = 0;
    for (const part of htmlParts(input)) {
      pending.push(part);
      size += part.length;
      if (size < 64 * 1024) continue;
      write(pending.join(""));
      pending = [];
      size = 0;
    }
    write(pending.join(""));
  } finally {
    closeSync(fd);
  }
}

/** At the end of a run: the page, or a warning on the result when it cannot be written; never a change of verdict. */
export function withHtmlReport(result: RunResult, dir: string): RunResult {
  // No reportDir on the result: the directory could not be written, and nothing is saved in it.
  if (!result.reportDir || !existsSync(dir)) return result;
  try {
    writeHtmlReport(result, dir);
    return result;
  } catch (err) {
    return { ...result, warnings: [...(result.warnings ?? []), `could not write ${join(result.reportDir, REPORT_HTML)}: ${(err as Error).message}`] };
  }
}
