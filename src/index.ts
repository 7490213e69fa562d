// incluster as a library: the CLI, the GitHub Action and users' scripts are shells over these.
//
//   import { loadConfig, run } from "incluster";
//   const result = await run(loadConfig(), { all: true, onEvent: (e) => console.log(e.type) });
//   process.exitCode = result.exitCode;
export { loadConfig, validateConfig, render } from "./api/config.js";
export type { LoadConfigOptions } from "./api/config.js";
export { run } from "./api/run.js";
export type { RunOptions } from "./api/options.js";
// The commands that read or change a namespace's runs, as the CLI's status, logs, clean and debug call them.
export { status } from "./api/status.js";
export type { RunStatus, StatusRow } from "./api/status.js";
export { logs } from "./api/logs.js";
export type { LogsOptions, LogsResult, SavedLog } from "./api/logs.js";
export { clean } from "./api/clean.js";
export type { CleanOptions, CleanResult } from "./api/clean.js";
export { readHistory } from "./api/history.js";
export type { ReadHistoryOptions, HistoryReport } from "./api/history.js";
export type { SuiteHistory, HistoryRun, HistoryTest, HistoryTestStatus, HistoryVerdict } from "./history/model.js";
export type { SuiteStats, TestStats, StatsOrder } from "./history/stats.js";
export { debug } from "./api/debug.js";
export type { DebugOptions, DebugResult } from "./api/debug.js";
export type { ClusterAccess } from "./api/cluster.js";
export type { JobState } from "./diagnose/job-state.js";
export type { Config } from "./config/schema.js";
export type { RunEvent, RunEventType, NoteLevel } from "./events/types.js";
export type { Clock } from "./events/envelope.js";
export { EVENTS_VERSION } from "./events/types.js";
export type { RunResult, SuiteResult, EventSummary } from "./results/run-result.js";
export { RESULT_API_VERSION } from "./results/run-result.js";
export type { Verdict, FailureClass } from "./diagnose/types.js";
export { ExitCode } from "./exit-codes.js";
export { UsageError, CouldNotRunError } from "./errors.js";
export type { ErrorCode, UsageErrorCode, CouldNotRunCode } from "./errors.js";
export type { ClusterPort } from "./kube/port.js";
