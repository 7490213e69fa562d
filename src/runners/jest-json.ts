// Jest's JSON results (`jest --json`), which Vitest's json reporter writes too: one document per
// run, `testResults` per file with its `assertionResults` (ancestorTitles, title, status,
// location, failureMessages). Jest's and Vitest's adapters append one document per run to their
// report, one line each. Ids are `<file> > <describe> > … > <test>` (the file relative to
// /workspace); a file that failed outside its tests (it did not load, a hook failed) is one test
// named by the file. Each runner words its failures its own way: `failure` reads one. Pure.
import { NODE_ID_SEPARATOR } from "./node.js";
import type { ReportedStatus, ReportedTest, ReportedTests } from "./types.js";

/** The pod's working folder: the runners report absolute paths, the ids name them from here. */
export const WORKSPACE_DIR = "/workspace";
const MAX = 8000;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** How a runner's failure reads: the message (with its values), the kind, expected and actual. */
export interface Failure {
  message: string;
  type?: string;
  expected?: string;
  actual?: string;
}

export interface JestJsonDialect {
  /** The runner as the problem says it: "jest", "vitest". */
  runner: string;
  /** One failure of a test: its failureMessages entry (ANSI stripped) and its failureDetails entry (Jest's only). */
  failure(message: string, details: unknown): Failure;
  /** A file that failed outside its tests: its `message` (ANSI stripped) → the one-line reason, or undefined. */
  fileReason(message: string): string | undefined;
}

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

export function clip(text: string): string {
  return text.length > MAX ? `${text.slice(0, MAX)}…` : text;
}

/** A runner's absolute path as the ids name it: relative to /workspace, with "/". */
export function workspacePath(path: string): string {
  const p = path.replace(/\\/g, "/");
  return p.startsWith(`${WORKSPACE_DIR}/`) ? p.slice(WORKSPACE_DIR.length + 1) : p;
}

/** An error's stack split into its head (name, message, values) and its frames. */
export function splitStack(stack: string): { head: string[]; frames: string[] } {
  const lines = stack.split("\n");
  const at = lines.findIndex((l) => /^\s+at /.test(l));
  return at === -1 ? { head: lines, frames: [] } : { head: lines.slice(0, at), frames: lines.slice(at).filter((l) => /^\s+at /.test(l)) };
}

/** The frames of the tests' own code: none of the runner's (node_modules), node's internals or anonymous promises. */
export function ownFrames(frames: readonly string[]): string[] {
  return frames.filter((l) => !/node_modules[\\/]|\(node:|^\s+at node:|\(<anonymous>\)|^\s+at <anonymous>$/.test(l)).map((l) => l.trim());
}

/** `TypeError: x` → its name and message; a line without an error's name has neither. */
export function errorName(line: string): { name: string; rest: string } | undefined {
  const m = /^([A-Za-z_$][\w$]*(?:Error|Exception|Failure)|Error)(?: \[[\w-]+\])?: ?(.*)$/.exec(line);
  return m ? { name: m[1]!, rest: m[2]! } : undefined;
}

/** A failure's message with its values on their own lines, and the failure text: that, then the error and its own frames. */
export function failureText(f: Failure, stack: string): { message: string; text: string } {
  const message = [f.message, ...(f.expected !== undefined && f.actual !== undefined ? [`expected: ${f.expected}`, `actual: ${f.actual}`] : [])].join("\n");
  const { head, frames } = splitStack(stack);
  const error = head.join("\n").trim();
  return { message, text: clip([message, "", error, ...ownFrames(frames)].join("\n")) };
}

const STATUSES: Record<string, ReportedStatus> = {
  passed: "passed",
  failed: "failed",
  pending: "skipped",
  skipped: "skipped",
  todo: "skipped",
  disabled: "skipped",
  focused: "passed",
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (o: Obj, k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);

/** The report's documents: the whole text as one, else one per line (a retry's runs, appended). */
function documents(text: string): { docs: unknown[]; bad: number } {
  try {
    return { docs: [JSON.parse(text)], bad: 0 };
  } catch {
    // one document per line
  }
  const docs: unknown[] = [];
  let bad = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      docs.push(JSON.parse(line));
    } catch {
      bad++;
    }
  }
  return { docs, bad };
}

/** The runs' JSON results → tests, in the order the runner reported them; what cannot be read is counted, never a throw. */
export function parseJestJson(text: string, dialect: JestJsonDialect): ReportedTests {
  if (text.trim() === "") return { tests: [], problem: `the ${dialect.runner} report is empty (the runner wrote no results)` };
  const { docs, bad } = documents(text);
  const tests: ReportedTest[] = [];
  let unread = bad;
  for (const doc of docs) {
    if (!isObj(doc) || !Array.isArray(doc.testResults)) {
      unread++;
      continue;
    }
    for (const file of doc.testResults) {
      if (!isObj(file) || str(file, "name") === undefined) {
        unread++;
        continue;
      }
      tests.push(...fileTests(file, dialect));
    }
  }
  const problem = unread ? `${unread} part${unread === 1 ? "" : "s"} of the ${dialect.runner} report could not be read` : undefined;
  return { tests, ...(problem ? { problem } : {}) };
}

function fileTests(file: Obj, dialect: JestJsonDialect): ReportedTest[] {
  const path = workspacePath(str(file, "name")!);
  const out: ReportedTest[] = [];
  const results = Array.isArray(file.assertionResults) ? file.assertionResults : [];
  for (const r of results) {
    if (!isObj(r)) continue;
    const title = str(r, "title");
    const ancestors = Array.isArray(r.ancestorTitles) && r.ancestorTitles.every((t) => typeof t === "string") ? (r.ancestorTitles as string[]) : undefined;
    if (title === undefined || !ancestors) continue;
    const status = STATUSES[str(r, "status") ?? ""] ?? "skipped";
    const location = isObj(r.location) ? r.location : {};
    const line = typeof location.line === "number" && Number.isInteger(location.line) && location.line > 0 ? location.line : undefined;
    const ms = typeof r.duration === "number" && Number.isFinite(r.duration) && r.duration > 0 ? Math.round(r.duration) : 0;
    const test: ReportedTest = {
      id: [path, ...ancestors, title].join(NODE_ID_SEPARATOR),
      name: title,
      classname: ancestors.join(NODE_ID_SEPARATOR),
      file: path,
      ...(line !== undefined ? { line } : {}),
      status,
      durationMs: ms,
    };
    const messages = Array.isArray(r.failureMessages) ? r.failureMessages.filter((m): m is string => typeof m === "string") : [];
    if (status === "failed" && messages.length) {
      const details = Array.isArray(r.failureDetails) ? (r.failureDetails as unknown[]) : [];
      const stack = stripAnsi(messages[0]!);
      const f = dialect.failure(stack, details[0]);
      const { message, text } = failureText(f, stack);
      // A test that failed more than once (an afterEach, too): the others follow in the text.
      const more = messages.slice(1).map((m) => clip(stripAnsi(m)));
      Object.assign(test, {
        message,
        ...(f.type ? { type: f.type } : {}),
        text: clip([text, ...more].join("\n\n")),
        ...(f.expected !== undefined && f.actual !== undefined ? { expected: f.expected, actual: f.actual } : {}),
      });
    }
    out.push(test);
  }
  // The file failed, yet none of its tests did: it failed outside them (it did not load, a hook of a describe failed).
  if (str(file, "status") === "failed" && !out.some((t) => t.status === "failed")) {
    const said = stripAnsi(str(file, "message") ?? "");
    const text = dedent(said.split("\n")).join("\n").trim();
    const unsaid = `failed outside its tests (a hook, or loading the file); ${dialect.runner}'s report gives no reason: the log has it`;
    const reason = dialect.fileReason(said) ?? unsaid;
    out.push({ id: path, name: path, classname: "", file: path, status: "error", durationMs: 0, message: reason, ...(text ? { text: clip(text) } : {}) });
  }
  return out;
}

export function dedent(lines: readonly string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== "").map((l) => /^\s*/.exec(l)![0].length);
  const indent = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(indent));
}
