// Errors that end a command. A failed test is data, never one of these (STYLE.md).
import { ExitCode } from "./exit-codes.js";

/** Bad flags or config: names the field or flag and the fix. Nothing was sent to a cluster. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly exitCode = ExitCode.usage;
  /** Every problem found, each already naming its path, so the user fixes them all in one go. */
  readonly problems: readonly string[];
  constructor(message: string, problems: readonly string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.problems = problems;
  }
}

/** incluster could not run the suite: a stable code, what happened, and the next command to try. */
export class CouldNotRunError extends Error {
  override readonly name = "CouldNotRunError";
  readonly exitCode = ExitCode.couldNotRun;
  readonly code: string;
  readonly hint: string | undefined;
  constructor(code: string, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.hint = hint;
  }
}

/** The user interrupted (Ctrl-C / SIGTERM). */
export class InterruptedError extends Error {
  override readonly name = "InterruptedError";
  readonly exitCode = ExitCode.interrupted;
}
