import type { RunResult } from "./model.js";

/** `-o json`: the versioned result document. */
export function toJson(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
