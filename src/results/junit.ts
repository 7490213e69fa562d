// JUnit XML (as Jest, Vitest, gotestsum, Playwright and pytest write it) → one TestCase per
// <testcase>, read with fast-xml-parser. Malformed input is a result with a `problem`, never a throw:
// the file comes from the user's test run, and a bad file must not cost the suite its verdict.
import { XMLParser, XMLValidator } from "../vendor/xml-parser.js";
import type { ParsedTests, TestCase, TestStatus } from "./model.js";
import { ownString, sharedStrings } from "./own-string.js";
import { pytestNodeId } from "./pytest-id.js";

export type JunitRunner = "pytest" | "other";

const ATTR = "@_";
const TEXT = "#text";
/** Elements that may repeat: always arrays, so one and many read alike. */
const REPEATED = new Set(["testsuite", "testcase", "failure", "error", "skipped"]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  textNodeName: TEXT,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
  isArray: (name) => REPEATED.has(name),
});

type Node = Record<string, unknown>;

/** Every test case in a JUnit report, from a `<testsuites>` or a bare `<testsuite>` root, nested suites included. */
export function parseJunit(xml: string, o: { runner?: JunitRunner } = {}): ParsedTests {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { tests: [], problem: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})` };
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (e) {
    return { tests: [], problem: `could not read the XML: ${e instanceof Error ? e.message : String(e)}` };
  }
  const roots = "testsuites" in doc ? [asNode(doc.testsuites)] : "testsuite" in doc ? [{ testsuite: doc.testsuite }] : [];
  if (roots.length === 0) return { tests: [], problem: `expected a <testsuites> or <testsuite> root element, got ${rootName(doc)}` };
  const cases: TestCase[] = [];
  // Every kept string is a copy of its own, not a view of the file's text (own-string.ts).
  const shared = sharedStrings();
  const walk = (n: Node) => {
    for (const tc of children(n, "testcase")) cases.push(testCase(tc, o.runner ?? "other", shared));
    for (const s of children(n, "testsuite")) walk(s);
  };
  for (const r of roots) walk(r);
  return { tests: combineDuplicates(cases) };
}

function testCase(n: Node, runner: JunitRunner, shared: (s: string) => string): TestCase {
  const name = ownString(attr(n, "name") ?? "");
  const classname = shared(attr(n, "classname") ?? "");
  const fileAttr = attr(n, "file") ? shared(attr(n, "file")!) : undefined;
  const lineAttr = wholeNumber(attr(n, "line"));
  const named =
    runner === "pytest"
      ? pytestNodeId(classname, name, fileAttr)
      : { id: classname && classname !== name ? `${classname}::${name}` : name, file: fileAttr };
  // pytest writes its item's 0-based location line.
  const line = lineAttr === undefined ? undefined : runner === "pytest" ? lineAttr + 1 : lineAttr;
  const outcome = caseOutcome(n, shared);
  return {
    id: named.id,
    name,
    classname,
    ...(named.file ? { file: shared(named.file) } : {}),
    ...(line !== undefined ? { line } : {}),
    status: outcome.status,
    durationMs: milliseconds(attr(n, "time")),
    ...(outcome.message ? { message: outcome.message } : {}),
    ...(outcome.type ? { type: outcome.type } : {}),
    ...(outcome.text ? { text: outcome.text } : {}),
  };
}

/** A failure decides over an error (pytest adds a teardown error to a failed test), either over a skip. */
const OUTCOME_ELEMENTS: readonly (readonly [string, TestStatus])[] = [["failure", "failed"], ["error", "error"], ["skipped", "skipped"]];

function caseOutcome(n: Node, shared: (s: string) => string): { status: TestStatus; message?: string; type?: string; text?: string } {
  for (const [tag, status] of OUTCOME_ELEMENTS) {
    const el = children(n, tag)[0];
    if (!el) continue;
    const text = ownString(textOf(el).trim());
    const message = ownString(attr(el, "message") || firstLine(text) || "");
    const type = attr(el, "type") ? shared(attr(el, "type")!) : undefined;
    return { status, ...(message ? { message } : {}), ...(type ? { type } : {}), ...(text ? { text } : {}) };
  }
  return { status: "passed" };
}

const STATUS_RANK: Record<TestStatus, number> = { skipped: 0, passed: 1, error: 2, failed: 3 };

/** The same id twice in one report is one test reported twice: keep the worse result, add the times. */
export function combineDuplicates(cases: readonly TestCase[]): TestCase[] {
  const byId = new Map<string, TestCase>();
  for (const c of cases) {
    const seen = byId.get(c.id);
    if (!seen) byId.set(c.id, c);
    else {
      const worse = STATUS_RANK[c.status] > STATUS_RANK[seen.status] ? c : seen;
      byId.set(c.id, { ...worse, durationMs: seen.durationMs + c.durationMs });
    }
  }
  return [...byId.values()];
}

function asNode(v: unknown): Node {
  if (typeof v === "string") return { [TEXT]: v };
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Node) : {};
}

function children(n: Node, tag: string): Node[] {
  const v = n[tag];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(asNode);
}

function attr(n: Node, name: string): string | undefined {
  const v = n[`${ATTR}${name}`];
  return typeof v === "string" ? v : undefined;
}

function textOf(n: Node): string {
  const v = n[TEXT];
  return typeof v === "string" ? v : "";
}

function firstLine(text: string): string | undefined {
  return text.split("\n").find((l) => l.trim() !== "")?.trim();
}

/** `time` in seconds (Surefire writes thousands as `1,234.5`) → whole milliseconds; absent or bad → 0. */
function milliseconds(time: string | undefined): number {
  const seconds = Number((time ?? "").replaceAll(",", ""));
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : 0;
}

function wholeNumber(s: string | undefined): number | undefined {
  if (s === undefined || s.trim() === "") return undefined;
  const n = Number(s);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function rootName(doc: Node): string {
  const names = Object.keys(doc).filter((k) => !k.startsWith("?") && !k.startsWith(ATTR) && k !== TEXT);
  return names.length ? `<${names[0]}>` : "no element";
}
