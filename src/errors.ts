// Errors that end a command. A failed test is data, never one of these (STYLE.md).
import { ExitCode } from "./exit-codes.js";

/** Usage errors that callers decide on (never on the message text). */
export type UsageErrorCode = "CONFIG_NOT_FOUND";

/** Bad flags or config: names the field or flag and the fix. Nothing was sent to a cluster. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly exitCode = ExitCode.usage;
  /** Every problem found, each already naming its path, so the user fixes them all in one go. */
  readonly problems: readonly string[];
  /** Set on the errors a caller may recover from, e.g. no incluster.yaml where one is optional. */
  readonly code: UsageErrorCode | undefined;
  constructor(message: string, problems: readonly string[] = [], options?: { cause?: unknown; code?: UsageErrorCode }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.problems = problems;
    this.code = options?.code;
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
