// Errors that end a command. A failed test is data, never one of these (STYLE.md).
import { ExitCode } from "./exit-codes.js";

/**
 * Every stable error code, in one union: callers branch on `err.code`, never on the message text.
 * A UsageError (exit 2) carries one of the first group, a CouldNotRunError (exit 3) one of the rest.
 */
export type ErrorCode =
  // UsageError: the ones a caller may recover from (most usage errors carry none).
  | "CONFIG_NOT_FOUND"
  // CouldNotRunError: the source stage.
  | "GIT_BAD_URL"
  | "GIT_REMOTE_FAILED"
  | "GIT_REF_NOT_FOUND"
  | "LOCAL_SOURCE"
  | "LOCAL_URL_CREDENTIALS"
  | "LOCAL_NO_BASE"
  | "LOCAL_OVERLAY_TOO_BIG"
  // The build stage.
  | "NO_ENGINE"
  | "ENGINE_NOT_STARTED"
  | "DOCKERFILE_UNREADABLE"
  | "BUILD_FAILED"
  | "PUSH_FAILED"
  // The report directory, saved logs, debug.
  | "REPORT_DIR_UNWRITABLE"
  | "NO_LOGS"
  | "DEBUG_NO_JOB"
  | "DEBUG_CREATE"
  | "DEBUG_NOT_RUNNING"
  | "DEBUG_EXEC"
  // incluster dev's held pod.
  | "DEV_CREATE"
  | "DEV_NOT_RUNNING"
  | "DEV_OLD_KUBERNETES"
  | "CLUSTER_UNREACHABLE"
  | "CLUSTER_REQUEST_FAILED";

/** The codes a UsageError carries. */
export type UsageErrorCode = Extract<ErrorCode, "CONFIG_NOT_FOUND">;
/** The codes a CouldNotRunError carries. */
export type CouldNotRunCode = Exclude<ErrorCode, UsageErrorCode>;

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
  readonly code: CouldNotRunCode;
  readonly hint: string | undefined;
  constructor(code: CouldNotRunCode, message: string, hint?: string, options?: { cause?: unknown }) {
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
