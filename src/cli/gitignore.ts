// init keeps incluster's run reports (.incluster/) out of git. The decision is pure; init writes.
import { INCLUSTER_DIR, RESULT_FILE } from "../names.js";

export const REPORT_ROOT = `${INCLUSTER_DIR}/`;

/** The new .gitignore text, or undefined when it already ignores .incluster (any usual spelling). */
export function withReportsIgnored(current: string | undefined): string | undefined {
  const lines = (current ?? "").split("\n").map((l) => l.trim());
  if (lines.some((l) => /^\/?\.incluster\/?(\*\*?)?$/.test(l))) return undefined;
  const base = current ?? "";
  return `${base}${base && !base.endsWith("\n") ? "\n" : ""}# incluster's run reports (logs, ${RESULT_FILE})\n${REPORT_ROOT}\n`;
}
