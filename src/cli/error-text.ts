// How the one error boundary (main.ts) words each kind of error, and which exit code it sets.
import { CouldNotRunError, InterruptedError, UsageError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";

export interface ErrorReport {
  text: string;
  exitCode: number;
}

export function describeError(err: unknown, verbose: boolean): ErrorReport {
  if (err instanceof UsageError) {
    const lines = [`error: ${err.message}`, ...err.problems.map((p) => `  ${p}`)];
    return { text: lines.join("\n") + "\n", exitCode: ExitCode.usage };
  }
  if (err instanceof CouldNotRunError) {
    const lines = [`error: ${err.message} [${err.code}]`, ...(err.hint ? [`hint: ${err.hint}`] : []), ...(verbose ? causeLines(err.cause) : [])];
    return { text: lines.join("\n") + "\n", exitCode: ExitCode.couldNotRun };
  }
  if (err instanceof InterruptedError) return { text: "interrupted\n", exitCode: ExitCode.interrupted };
  const e = err instanceof Error ? err : new Error(String(err));
  const lines = [`error: ${e.message}`, verbose ? (e.stack ?? "") : "(run with -v for the stack trace)"];
  return { text: lines.join("\n") + "\n", exitCode: ExitCode.couldNotRun };
}

function causeLines(cause: unknown): string[] {
  if (cause === undefined) return [];
  return [`cause: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`];
}
