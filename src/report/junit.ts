// `-o junit`: one testsuite per suite with one testcase, so CI systems show each suite's verdict.
import { create } from "xmlbuilder2";
import type { RunResult, SuiteResult } from "./model.js";

function caseBody(s: SuiteResult): { tag: "failure" | "error" | undefined; type: string; text: string } {
  const detail = [s.reason && `reason: ${s.reason}`, s.message && `message: ${s.message}`, s.hint && `hint: ${s.hint}`, ...s.events.map((e) => `event: ${e.type} ${e.reason} ${e.object}: ${e.message}`)]
    .filter(Boolean)
    .join("\n");
  if (s.verdict === "passed") return { tag: undefined, type: "", text: "" };
  if (s.verdict === "failed") return { tag: "failure", type: s.class ?? "testsFailed", text: detail };
  return { tag: "error", type: s.class ?? s.verdict, text: detail };
}

export function toJunit(result: RunResult): string {
  const failures = result.suites.filter((s) => s.verdict === "failed").length;
  const errors = result.suites.filter((s) => s.verdict !== "failed" && s.verdict !== "passed").length;
  const total = result.suites.reduce((t, s) => t + s.durationSeconds, 0);
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele("testsuites", {
    name: `incluster run ${result.runId}`,
    tests: result.suites.length,
    failures,
    errors,
    time: total.toFixed(3),
  });
  for (const s of result.suites) {
    const body = caseBody(s);
    const suite = root.ele("testsuite", {
      name: s.suite,
      tests: 1,
      failures: body.tag === "failure" ? 1 : 0,
      errors: body.tag === "error" ? 1 : 0,
      time: s.durationSeconds.toFixed(3),
      timestamp: s.startedAt,
    });
    const props = suite.ele("properties");
    for (const [name, value] of [["job", s.job], ["namespace", s.namespace], ["image", s.image], ["commit", s.commit ?? ""], ...Object.entries(s.logs).map(([k, v]) => [`log.${k}`, v])] as const) {
      if (value) props.ele("property", { name, value });
    }
    const tc = suite.ele("testcase", { classname: `incluster.${s.suite}`, name: s.suite, time: s.durationSeconds.toFixed(3) });
    if (body.tag) tc.ele(body.tag, { type: body.type, message: s.message || s.verdict }).txt(body.text);
  }
  return `${root.end({ prettyPrint: true })}\n`;
}
