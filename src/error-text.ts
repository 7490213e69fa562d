// How an error boundary words each kind of error, and which exit code it sets: the CLI's
// (cli/main.ts) and the GitHub Action's (ci/action.ts). Beside errors.ts, a leaf like it.
import { CouldNotRunError, InterruptedError, UsageError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import { clip } from "./echo.js";

/** Longer lines of a usage error are cut: messages are a few hundred characters; only echoed values run longer. */
export const USAGE_LINE_MAX = 1000;

export interface ErrorReport {
  text: string;
  exitCode: number;
}

export function describeError(err: unknown, verbose: boolean): ErrorReport {
  if (err instanceof UsageError) {
    // A safety net for values echoed whole (a 10 MB flag): no line of a usage error is longer than this.
    const lines = [`error: ${err.message}`, ...err.problems.map((p) => `  ${p}`)].map((l) => clip(l, USAGE_LINE_MAX));
    return { text: lines.join("\n") + "\n", exitCode: ExitCode.usage };
  }
  if (err instanceof CouldNotRunError) {
    const lines = [`error: ${err.message} [${err.code}]`, ...(err.hint ? [`hint: ${err.hint}`] : []), ...(verbose ? causeLines(err.cause) : [])];
    return { text: lines.join("\n") + "\n", exitCode: ExitCode.couldNotRun };
  }
  if (err instanceof InterruptedError) return { text: "interrupted\n", exitCode: ExitCode.interrupted };
  // A thrown plain object with a message (an error shape from a library) is worded by its message, not "[object Object]".
  const message =
    err !== null && typeof err === "object" && typeof (err as { message?: unknown }).message === "string"
      ? (err as { message: string }).message
      : String(err);
  const e = err instanceof Error ? err : new Error(message);
  const lines = [`error: ${e.message}`, verbose ? (e.stack ?? "") : "(run with -v for the stack trace)"];
  return { text: lines.join("\n") + "\n", exitCode: ExitCode.couldNotRun };
}

function causeLines(cause: unknown): string[] {
  if (cause === undefined) return [];
  return [`cause: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`];
}
