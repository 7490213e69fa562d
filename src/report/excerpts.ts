// Which logs the HTML report quotes, and what it quotes from them (pure): for every suite, attempt
// and shard that did not pass, the end of its failing container's log, and for each failed test the
// section pytest printed for it (`____ test_name ____` up to the next section).
import { CLONE_CONTAINER, TEST_CONTAINER } from "../names.js";
import type { RunResult, SuiteResult } from "../results/run-result.js";
import { ownString } from "../results/own-string.js";
import { stripAnsi } from "./text.js";

/** How many lines from the end of a failing container's log the report shows. */
export const EXCERPT_TAIL_LINES = 40;
/** At most this many lines of one test's failure section. */
export const EXCERPT_SECTION_LINES = 60;
/** How much of a log's end the writer reads (the failure sections are printed last). */
export const EXCERPT_READ_BYTES = 256 * 1024;

export interface ExcerptTarget {
  suite: string;
  attempt?: number;
  shard?: number;
  container: string;
  /** The log as the result shows it, when the result names it (shards: the writer knows the layout). */
  path?: string;
}

/** The end of one log file as the writer read it. */
export interface LogTail extends ExcerptTarget {
  /** The file as shown to the user. */
  path: string;
  text: string;
  /** false: the file is longer than what was read. */
  complete: boolean;
}

/** What the page quotes from one log; the text read is not kept (a 256 KB read per failing log adds up over 100 suites). */
export interface LogExcerpt extends Omit<LogTail, "text" | "complete"> {
  /** The last lines. */
  tail: string[];
  /** Each failed test's own section of the log, by test id. */
  sections: Record<string, string[]>;
}

const failingContainer = (u: { class?: SuiteResult["class"] }) => (u.class === "cloneFailed" ? CLONE_CONTAINER : TEST_CONTAINER);

/** The logs worth quoting: every suite, attempt or shard that did not pass. */
export function excerptTargets(result: RunResult): ExcerptTarget[] {
  const out: ExcerptTarget[] = [];
  for (const s of result.suites) {
    const units = [...(s.attempts ?? []), ...(s.shards ?? [])];
    if (!units.length && s.verdict !== "passed") {
      const container = failingContainer(s);
      out.push({ suite: s.suite, container, ...(s.logs[container] ? { path: s.logs[container] } : {}) });
    }
    for (const a of s.attempts ?? []) {
      const container = failingContainer(a);
      if (a.verdict !== "passed") out.push({ suite: s.suite, attempt: a.attempt, container, ...(a.logs[container] ? { path: a.logs[container] } : {}) });
    }
    for (const sh of s.shards ?? []) if (sh.verdict !== "passed") out.push({ suite: s.suite, shard: sh.index, container: failingContainer(sh) });
  }
  return out;
}

const SECTION = /^_{3,} (.+?) _{3,}$/;
const BANNER = /^={3,}/;

/** pytest's section for each named test: its `____ name ____` line up to the next section or banner. */
function sectionsOf(lines: readonly string[], tests: readonly { id: string; name: string; classname: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < lines.length; i++) {
    const m = SECTION.exec(lines[i]!.trim());
    if (!m) continue;
    const title = m[1]!;
    const test = tests.find((t) => title === t.name || title.endsWith(`.${t.name}`) || title === t.id);
    if (!test || out[test.id]) continue;
    let j = i + 1;
    while (j < lines.length && !SECTION.test(lines[j]!.trim()) && !BANNER.test(lines[j]!.trim())) j++;
    out[test.id] = lines.slice(i, Math.min(j, i + EXCERPT_SECTION_LINES)).map(ownString);
  }
  return out;
}

/** The quoted parts of one log: its last lines, and the sections of the suite's failed tests that ran there. */
export function excerptOf(tail: LogTail, suite: SuiteResult | undefined): LogExcerpt {
  const lines = stripAnsi(tail.text).split("\n");
  // The first line of a partial read may be cut; the last is empty after the final newline.
  if (!tail.complete) lines.shift();
  if (lines.at(-1) === "") lines.pop();
  const failed = (suite?.tests ?? []).filter((t) => {
    if (t.status === "passed" || t.status === "skipped") return false;
    if (tail.shard !== undefined && t.shard !== tail.shard) return false;
    // A test's failure in this attempt: its own result there, or one of its reruns.
    return tail.attempt === undefined || (t.attempt === tail.attempt && t.status !== "flaky") || (t.reruns ?? []).some((r) => r.attempt === tail.attempt);
  });
  const { text: _text, complete: _complete, ...where } = tail;
  // The kept lines are copies: a line split out of the text would keep all of it (results/own-string.ts).
  return { ...where, tail: lines.slice(-EXCERPT_TAIL_LINES).map(ownString), sections: sectionsOf(lines, failed) };
}
