// Turns zod issues into one line per problem, each starting with its path
// (`suites.smoke.timeout: expected a duration like 30m or 1h, got "soon"`), as changesets does.
import type { z } from "zod";
import { shown } from "./fields.js";
import { suiteNameProblem } from "./names.js";

type Issue = z.core.$ZodIssue;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || "(top level)";
}

export function issueToProblems(issue: Issue): string[] {
  const path = issue.path;
  if (issue.code === "unrecognized_keys" && issue.keys.length === 1) {
    // One unknown key: point at the key itself.
    return [`${formatPath([...path, issue.keys[0] ?? ""])}: ${issue.message}`];
  }
  if (issue.code === "invalid_key") {
    const key = String(path[path.length - 1]);
    if (path.length === 2 && path[0] === "suites") return [`${formatPath(path)}: ${suiteNameProblem(key) ?? issue.message}`];
    const inner = issue.issues.map((i) => i.message).join("; ");
    return [`${formatPath(path)}: ${inner || issue.message}`];
  }
  if (issue.code === "invalid_type" && issue.message.startsWith("Invalid input")) {
    // zod's default wording; ours says what was received in YAML terms.
    const received = "input" in issue ? shown(issue.input) : "nothing";
    if (received === "nothing") return [`${formatPath(path)}: required (expected ${issue.expected})`];
    return [`${formatPath(path)}: expected ${issue.expected}, got ${received}`];
  }
  return [`${formatPath(path)}: ${issue.message}`];
}

export function zodProblems(error: z.ZodError): string[] {
  return error.issues.flatMap(issueToProblems);
}
