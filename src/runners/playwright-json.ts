// Playwright's JSON report (`--reporter=json`): `suites` per file (its path relative to
// config.rootDir), nested `suites` per describe, `specs` per test, and per spec one `tests` entry
// per project, each with its `results` (one per try: Playwright's own retries) and its outcome
// (expected, unexpected, flaky, skipped). Ids are `<file> > <describe> > … > <test>`, the file
// relative to /workspace, prefixed `[<project>] ` when the config has more than one project. A
// file that did not load is a top-level error naming it: one test named by the file. Pure.
import { clip, errorName, failureText, stripAnsi, workspacePath, type Failure } from "./jest-json.js";
import { NODE_ID_SEPARATOR } from "./node.js";
import type { FailedTry, ReportedStatus, ReportedTest, ReportedTests } from "./types.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (o: Obj, k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);
const num = (o: Obj, k: string) => (typeof o[k] === "number" && Number.isFinite(o[k]) ? (o[k] as number) : undefined);
const list = (o: Obj, k: string): Obj[] => (Array.isArray(o[k]) ? (o[k] as unknown[]).filter(isObj) : []);

/** An id's project and the rest; none when the config has one project. */
export function splitProject(id: string): { project?: string; rest: string } {
  const m = /^\[([^\]]*)\] (.*)$/s.exec(id);
  return m ? { project: m[1]!, rest: m[2]! } : { rest: id };
}

/** A line that starts the values or the log of an expect() failure: the message is what comes before. */
const VALUES = /^(Expected|Received)(?: [\w ]+)?:|^- Expected|^\+ Received|^Call log:|^Timeout:/;

/** One failure as Playwright words it: the message lines before the values (a custom message, the matcher), then `Expected:`/`Received:`. */
export function playwrightFailure(message: string): Failure {
  const lines = stripAnsi(message).split("\n");
  const at = lines.findIndex((l) => VALUES.test(l));
  // `Locator:  locator('h1')`: Playwright aligns its labels; one space here.
  const head = (at === -1 ? lines : lines.slice(0, at)).map((l) => l.trim().replace(/^(\w[\w ]*?): {2,}/, "$1: ")).filter((l) => l !== "" && !/^at /.test(l));
  const first = head[0] ?? "failed";
  const named = errorName(first);
  const said = named ? (named.name === "Error" ? named.rest : `${named.name}: ${named.rest}`) : first;
  const value = (label: string) => {
    const l = lines.find((x) => new RegExp(`^${label}(?: [\\w ]+)?: `).test(x));
    return l === undefined ? undefined : l.slice(l.indexOf(":") + 1).trim();
  };
  const [expected, actual] = [value("Expected"), value("Received")];
  return {
    message: [said, ...head.slice(1)].join("\n"),
    ...(named && named.name !== "Error" ? { type: named.name } : {}),
    ...(expected !== undefined && actual !== undefined ? { expected, actual } : {}),
  };
}

/** A result's error → the message (values on their own lines), the kind, the text: message, the error and its own frames, the snippet. */
function errorFields(result: Obj): { message: string; type?: string; text: string; expected?: string; actual?: string } {
  const error = isObj(result.error) ? result.error : (list(result, "errors")[0] ?? {});
  const said = str(error, "message") ?? str(error, "value") ?? (str(result, "status") === "timedOut" ? "timed out" : "failed");
  const f = playwrightFailure(said);
  const stack = stripAnsi(str(error, "stack") ?? said);
  const { message, text } = failureText(f, stack);
  const snippet = stripAnsi(str(error, "snippet") ?? "");
  // Soft assertions: the other errors follow in the text.
  const more = list(result, "errors").slice(1).map((e) => stripAnsi(str(e, "message") ?? ""));
  return {
    message,
    ...(f.type ? { type: f.type } : {}),
    text: clip([text, ...(snippet ? ["", snippet] : []), ...more.map((m) => `\n${m}`)].join("\n")),
    ...(f.expected !== undefined && f.actual !== undefined ? { expected: f.expected, actual: f.actual } : {}),
  };
}

const FAILING = new Set(["failed", "timedOut", "interrupted"]);

/** One project's run of a spec → a test: its outcome, and for `flaky` the failed tries before the pass. */
function projectTest(base: Omit<ReportedTest, "status" | "durationMs" | "id">, id: string, t: Obj): ReportedTest {
  const results = list(t, "results");
  const outcome = str(t, "status");
  const last = results[results.length - 1];
  const ms = (r: Obj | undefined) => Math.round(Math.max(0, r ? (num(r, "duration") ?? 0) : 0));
  if (outcome === "skipped" || (outcome === "expected" && str(t, "expectedStatus") === "skipped")) {
    const reason = list(t, "annotations").find((a) => str(a, "type") === "skip" || str(a, "type") === "fixme");
    const why = reason ? str(reason, "description") : undefined;
    return { ...base, id, status: "skipped", durationMs: ms(last), ...(why ? { message: why } : {}) };
  }
  if (outcome === "unexpected") {
    const failed = [...results].reverse().find((r) => FAILING.has(str(r, "status") ?? "")) ?? last;
    // A test that passed where test.fail() said it would fail has no error: say so.
    const said = failed && (isObj(failed.error) || list(failed, "errors").length);
    const fields = said ? errorFields(failed) : { message: "passed, but was expected to fail (test.fail())" };
    const status: ReportedStatus = str(failed ?? {}, "status") === "interrupted" ? "error" : "failed";
    return { ...base, id, status, durationMs: ms(failed), ...fields };
  }
  // expected (passed, or failed as test.fail() said) and flaky: passed; a flaky test keeps its failed tries.
  const failedTries = outcome === "flaky" ? results.filter((r) => FAILING.has(str(r, "status") ?? "")) : [];
  const tries: FailedTry[] = failedTries.map((r) => ({ durationMs: ms(r), ...errorFields(r) }));
  return { ...base, id, status: "passed", durationMs: ms(last), ...(tries.length ? { flakyFailures: tries } : {}) };
}

function suiteTests(suite: Obj, file: string, path: readonly string[], projects: boolean, out: ReportedTest[]): void {
  for (const spec of list(suite, "specs")) {
    const title = str(spec, "title");
    if (title === undefined) continue;
    const line = num(spec, "line");
    const base = { name: title, classname: path.join(NODE_ID_SEPARATOR), file, ...(line !== undefined && Number.isInteger(line) && line > 0 ? { line } : {}) };
    const id = [file, ...path, title].join(NODE_ID_SEPARATOR);
    for (const t of list(spec, "tests")) {
      const project = str(t, "projectName") ?? "";
      out.push(projectTest(base, projects ? `[${project}] ${id}` : id, t));
    }
  }
  for (const child of list(suite, "suites")) {
    const title = str(child, "title");
    if (title !== undefined) suiteTests(child, file, [...path, title], projects, out);
  }
}

/** The report → tests, in the order Playwright reported them; what cannot be read is said, never a throw. */
export function parsePlaywrightReport(text: string): ReportedTests {
  if (text.trim() === "") return { tests: [], problem: "the playwright report is empty (the runner wrote no results)" };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { tests: [], problem: "the playwright report is not JSON (a run cut short?)" };
  }
  if (!isObj(doc) || !Array.isArray(doc.suites)) return { tests: [], problem: "the playwright report has no suites" };
  const config = isObj(doc.config) ? doc.config : {};
  const rootDir = str(config, "rootDir") ?? "";
  const projects = list(config, "projects").length > 1;
  const where = (file: string) => workspacePath(rootDir && !file.startsWith("/") ? `${rootDir.replace(/\/+$/, "")}/${file}` : file);
  const tests: ReportedTest[] = [];
  for (const suite of list(doc, "suites")) {
    const file = str(suite, "file");
    if (file !== undefined) suiteTests(suite, where(file), [], projects, tests);
  }
  // Errors outside any test: a file that did not load (named by the file), else the run's own (global setup, config).
  for (const e of list(doc, "errors")) {
    const location = isObj(e.location) ? e.location : {};
    const file = str(location, "file");
    const id = file !== undefined ? where(file) : PLAYWRIGHT_RUN_ID;
    const f = playwrightFailure(str(e, "message") ?? "failed");
    const snippet = stripAnsi(str(e, "snippet") ?? "");
    const stack = stripAnsi(str(e, "stack") ?? "");
    tests.push({
      id, name: id, classname: "", ...(file !== undefined ? { file: id } : {}), status: "error", durationMs: 0,
      message: f.message, ...(f.type ? { type: f.type } : {}), text: clip([f.message, "", stack, ...(snippet ? ["", snippet] : [])].join("\n").trim()),
    });
  }
  return { tests };
}

/** The id of an error of the run itself (a config or global setup that failed): a retry runs the whole target. */
export const PLAYWRIGHT_RUN_ID = "playwright test";
