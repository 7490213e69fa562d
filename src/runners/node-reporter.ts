// The node:test reporter incluster writes into the pod (runners/node.ts): plain JavaScript for
// Node 22 and later, kept here as text. Run by the unit tests on the fixture project with real
// Node 22 and 24 (test/unit/runners/node.test.ts).
export const NODE_REPORTER = String.raw`// incluster's node:test reporter, written into the pod by incluster's runner script: one JSON line
// per test, appended to $INCLUSTER_NODE_REPORT (else given to its destination). A test's subtests
// (t.test) are folded into it; a describe's tests are reported one by one.
import { appendFileSync } from "node:fs";
import { isAbsolute, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";

const OUT = process.env.INCLUSTER_NODE_REPORT;
const CWD = process.cwd();
const MAX = 8000;
// Failures outside the test's own code: pytest calls these errors.
const SETUP = ["hookFailed", "cancelledByParent"];
const files = new Map();

function rel(file) {
  if (!file) return "";
  const p = file.startsWith("file:") ? fileURLToPath(file) : file;
  return (isAbsolute(p) ? relative(CWD, p) : p).split(sep).join("/");
}

function clip(s) {
  return s.length > MAX ? s.slice(0, MAX) + "\u2026" : s;
}

function show(v) {
  return clip(inspect(v, { depth: 6, breakLength: Infinity }));
}

function ownFrames(stack) {
  return String(stack || "").split("\n").filter((l) => /^\s+at /.test(l) && !/\(node:|^\s+at node:/.test(l)).map((l) => l.trim());
}

// The failure as the runner means it: the assertion's own message, expected and actual on their own
// lines, then the error's full text and the frames of the tests' own code.
function failure(error) {
  const cause = error && error.cause;
  const e = cause && typeof cause === "object" && typeof cause.message === "string" ? cause : undefined;
  if (!e) {
    const text = typeof cause === "string" && cause ? cause : String((error && error.message) || "failed");
    return { message: text.split("\n")[0], text };
  }
  const assertion = e.code === "ERR_ASSERTION";
  const first = String(e.message).split("\n").find((l) => l.trim() !== "") || "";
  const name = e.name && e.name !== "Error" && !assertion ? e.name + ": " : "";
  const out = { message: name + first, type: e.name || "Error" };
  if (assertion && e.operator !== "fail" && (e.expected !== undefined || e.actual !== undefined)) {
    out.expected = show(e.expected);
    out.actual = show(e.actual);
  }
  const head = String(e.stack || "").split(/\n\s+at /)[0] || (e.name || "Error") + ": " + e.message;
  const values = out.expected !== undefined ? ["expected: " + out.expected, "actual: " + out.actual] : [];
  out.message = [out.message, ...values].join("\n");
  out.text = clip([out.message, "", head.trim(), ...ownFrames(e.stack)].join("\n"));
  return out;
}

function fileState(file) {
  let s = files.get(file);
  if (!s) files.set(file, (s = { frames: [], stderr: [] }));
  return s;
}

function emit(records) {
  const lines = records.map((r) => JSON.stringify(r) + "\n").join("");
  if (OUT) {
    appendFileSync(OUT, lines);
    return "";
  }
  return lines;
}

export default async function* incluster(source) {
  for await (const event of source) {
    const data = event.data || {};
    const file = rel(data.file);
    if (event.type === "test:stderr" || event.type === "test:stdout") {
      const s = fileState(file);
      s.stderr.push(...String(data.message || "").split("\n"));
      if (s.stderr.length > 60) s.stderr.splice(0, s.stderr.length - 60);
      continue;
    }
    if (event.type === "test:start") {
      const frames = fileState(file).frames;
      frames.length = data.nesting;
      frames.push({ name: data.name, kids: [] });
      continue;
    }
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const s = fileState(file);
    const frame = s.frames[data.nesting];
    const kids = frame && frame.name === data.name ? frame.kids : [];
    s.frames.length = data.nesting;
    const details = data.details || {};
    const failed = event.type === "test:fail";
    const kind = details.error && details.error.failureType;
    const own = {
      file,
      line: data.line,
      path: [],
      name: data.name,
      status: data.skip !== undefined || data.todo !== undefined ? "skipped" : !failed ? "passed" : SETUP.includes(kind) ? "error" : "failed",
      ms: details.duration_ms || 0,
    };
    if (own.status === "skipped" && typeof (data.skip ?? data.todo) === "string") own.message = data.skip ?? data.todo;
    if (failed && own.status !== "skipped") Object.assign(own, failure(details.error));
    let records;
    if (data.nesting === 0 && data.name === file && failed) {
      // The file itself failed outside any test (it did not load, or exited early): its stderr says why.
      const said = s.stderr.filter((l) => l.trim() !== "");
      const why = said.find((l) => /^[A-Za-z]*(Error|Exception)\b/.test(l)) || said[said.length - 1];
      records = [{ ...own, file, name: file, whole: true, message: why || own.message, text: said.join("\n") || own.text }];
    } else if (details.type === "suite") {
      records = kids.map((k) => ({ ...k, path: [data.name, ...k.path] }));
      if (failed && kind !== "subtestsFailed" && kids.every((k) => k.status === "passed" || k.status === "skipped")) records.push(own);
    } else {
      const bad = kids.find((k) => k.status === "failed" || k.status === "error");
      if (bad && kind === "subtestsFailed") {
        const where = [...bad.path, bad.name].join(" > ");
        Object.assign(own, { message: where + ": " + bad.message, text: where + ":\n" + (bad.text || bad.message) });
        for (const key of ["expected", "actual", "type"]) if (bad[key] !== undefined) own[key] = bad[key];
      }
      records = [own];
    }
    if (data.nesting > 0 && s.frames[data.nesting - 1]) s.frames[data.nesting - 1].kids.push(...records);
    else yield emit(records);
  }
}
`;
