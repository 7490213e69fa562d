// Turns zod issues into one problem per issue, each with its path, so messages read
// `suites.smoke.timeout: expected a duration like 30m or 1h, got "soon"` (changesets' style).
import type { z } from "zod/mini";
import { clip } from "../echo.js";
import { shown } from "./fields.js";
import { suiteNameProblem } from "./names.js";

type Issue = z.core.$ZodIssue;

export interface Problem {
  path: readonly PropertyKey[];
  message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += (out ? "." : "") + pathSegment(String(p));
  }
  return out || "(top level)";
}

/** A key as written, or JSON-quoted when it is empty or holds quotes, colons, spaces or control characters; clipped. */
function pathSegment(key: string): string {
  return key === "" || /["\s:\p{Cc}\p{Cf}]/u.test(key) ? clip(JSON.stringify(key)) : clip(key);
}

export function formatProblem(p: Problem): string {
  return `${formatPath(p.path)}: ${p.message}`;
}

/**
 * The parse-level error map: zod uses it only where the schema set no message of its own, so
 * a field without a custom error gets ours, in YAML terms, and no decision reads zod's text.
 */
export function yamlTermsError(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== "invalid_type") return undefined;
  const received = issue.input === undefined ? "nothing" : shown(issue.input);
  return received === "nothing" ? `required (expected ${issue.expected})` : `expected ${issue.expected}, got ${received}`;
}

export function issueToProblem(issue: Issue): Problem {
  const path = issue.path;
  if (issue.code === "unrecognized_keys" && issue.keys.length === 1) {
    // One unknown key: point at the key itself.
    return { path: [...path, issue.keys[0] ?? ""], message: issue.message };
  }
  if (issue.code === "invalid_key") {
    const key = String(path[path.length - 1]);
    if (path.length === 2 && path[0] === "suites") return { path, message: suiteNameProblem(key) ?? issue.message };
    return { path, message: issue.issues.map((i) => i.message).join("; ") || issue.message };
  }
  return { path, message: issue.message };
}

export function zodProblems(error: z.core.$ZodError): Problem[] {
  return error.issues.map(issueToProblem);
}
