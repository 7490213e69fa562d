// What a RunEvent becomes as an OTLP log record (pure): the kubelet's timestamp for a log line,
// OpenTelemetry's semantic-convention names for the Kubernetes objects, incluster's own
// attributes for the run and the suite. src/otlp/export.ts hands these to the OpenTelemetry SDK.
import { ATTR_K8S_CONTAINER_NAME, ATTR_K8S_NAMESPACE_NAME, ATTR_K8S_POD_NAME, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "../vendor/otel.js";
import type { NoteLevel, RunEvent } from "../events/types.js";

/** incluster's own attribute names (OpenTelemetry leaves a product's namespace to the product). */
export const ATTR_RUN_ID = "incluster.run_id";
export const ATTR_SUITE = "incluster.suite";
export const ATTR_ATTEMPT = "incluster.attempt";
export const ATTR_SHARD = "incluster.shard";
/** OpenTelemetry's test semantic conventions (incubating: not in the stable package, so named here). */
export const ATTR_TEST_CASE_NAME = "test.case.name";
export const ATTR_TEST_CASE_RESULT_STATUS = "test.case.result.status";
export const ATTR_TEST_SUITE_NAME = "test.suite.name";
/** incluster's own status of a test (flaky, skipped, quarantined: more than pass and fail) and its trend against history. */
export const ATTR_TEST_STATUS = "incluster.test.status";
export const ATTR_TEST_TREND = "incluster.test.trend";
/** The eventName of a test case's record, one per test after its suite's verdict. */
export const TEST_CASE_EVENT = "incluster.test.case";
/** A non-log event's record: its `eventName` is this prefix plus the event type (`incluster.suite.verdict`). */
export const EVENT_NAME_PREFIX = "incluster.";
export const SERVICE_NAME = "incluster";

/** Seconds and nanoseconds since the epoch: the SDK's HrTime, exact to the nanosecond. */
export type HrTime = [number, number];

/** OpenTelemetry's SeverityNumber values used here (the logs data model). */
export const Severity = { unspecified: 0, debug: 5, info: 9, warn: 13, error: 17 } as const;
export type SeverityValue = (typeof Severity)[keyof typeof Severity];

export type Body = string | number | boolean | null | Body[] | { [key: string]: Body };

export interface OtlpRecord {
  timestamp: HrTime;
  /** When incluster saw it (the event's `ts`). */
  observedTimestamp: HrTime;
  severityNumber: SeverityValue;
  severityText?: string;
  /** Absent for a container's log line: that is a plain log, not an event. */
  eventName?: string;
  body: Body;
  attributes: Record<string, string | number>;
}

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/i;

/** An RFC 3339 timestamp with up to nanosecond precision (the kubelet's) as HrTime; undefined if it is not one. */
export function parseRfc3339Nanos(ts: string): HrTime | undefined {
  const m = RFC3339.exec(ts);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return [ms / 1000, Number((m[2] ?? "").padEnd(9, "0"))];
}

function msToHrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, (ms - seconds * 1000) * 1_000_000];
}

/** The resource every record of one run shares. */
export function runResource(o: { runId: string; namespace: string; version: string }): Record<string, string> {
  return { [ATTR_SERVICE_NAME]: SERVICE_NAME, [ATTR_SERVICE_VERSION]: o.version, [ATTR_K8S_NAMESPACE_NAME]: o.namespace, [ATTR_RUN_ID]: o.runId };
}

const noteSeverity: Record<NoteLevel, SeverityValue> = { verbose: Severity.debug, info: Severity.info, warning: Severity.warn };
const severityText: Partial<Record<SeverityValue, string>> = {
  [Severity.debug]: "DEBUG",
  [Severity.info]: "INFO",
  [Severity.warn]: "WARN",
  [Severity.error]: "ERROR",
};

/** The conventions' result: pass or fail; a skipped (or quarantined) test has none, its own status says what it was. */
const RESULT_STATUS: Record<string, "pass" | "fail" | undefined> = { passed: "pass", flaky: "pass", failed: "fail", error: "fail" };

/** A quarantined test as the test conventions name it: its suite, and the result of what it did (its status: quarantined). */
function quarantinedAttributes(e: Extract<RunEvent, { type: "test.quarantined" }>): Record<string, string> {
  const status = RESULT_STATUS[e.outcome];
  return { [ATTR_TEST_SUITE_NAME]: e.suite, ...(status ? { [ATTR_TEST_CASE_RESULT_STATUS]: status } : {}), [ATTR_TEST_STATUS]: "quarantined" };
}

function severityOf(e: RunEvent): SeverityValue {
  switch (e.type) {
    case "log":
      // The test's own output: incluster cannot tell its level.
      return Severity.unspecified;
    case "run.note":
    case "suite.note":
      return noteSeverity[e.level];
    case "test.quarantined":
      // It does not fail the run, but a quarantined failure is worth a look.
      return RESULT_STATUS[e.outcome] === "fail" ? Severity.warn : Severity.info;
    case "suite.verdict":
      return e.result.verdict === "passed" ? Severity.info : Severity.error;
    case "run.finished":
      return e.result.exitCode === 0 ? Severity.info : Severity.error;
    default:
      return Severity.info;
  }
}

/** The event without its envelope, as plain data (undefined fields dropped). */
function bodyOf(e: RunEvent): Body {
  const { v: _v, ts: _ts, runId: _runId, type: _type, ...rest } = e;
  return JSON.parse(JSON.stringify(rest)) as Body;
}

/** One OTLP log record per event: a log line's body is the line, any other event's body its fields. */
export function toOtlpRecord(e: RunEvent): OtlpRecord {
  const observed = parseRfc3339Nanos(e.ts) ?? msToHrTime(Date.parse(e.ts));
  const severityNumber = severityOf(e);
  const text = severityText[severityNumber];
  const attributes: Record<string, string | number> = {};
  if ("suite" in e && typeof e.suite === "string") attributes[ATTR_SUITE] = e.suite;
  // An event about one test (its id in `test`) names it as the test conventions do.
  if ("test" in e && typeof e.test === "string") attributes[ATTR_TEST_CASE_NAME] = e.test;
  if (e.type === "test.quarantined") Object.assign(attributes, quarantinedAttributes(e));
  if (e.type === "log") {
    attributes[ATTR_K8S_POD_NAME] = e.pod;
    attributes[ATTR_K8S_CONTAINER_NAME] = e.container;
    if (e.attempt !== undefined) attributes[ATTR_ATTEMPT] = e.attempt;
    if (e.shard !== undefined) attributes[ATTR_SHARD] = e.shard;
    return {
      timestamp: (e.kubeletTs !== undefined ? parseRfc3339Nanos(e.kubeletTs) : undefined) ?? observed,
      observedTimestamp: observed,
      severityNumber,
      ...(text ? { severityText: text } : {}),
      body: e.line,
      attributes,
    };
  }
  return {
    timestamp: observed,
    observedTimestamp: observed,
    severityNumber,
    ...(text ? { severityText: text } : {}),
    eventName: `${EVENT_NAME_PREFIX}${e.type}`,
    body: bodyOf(e),
    attributes,
  };
}


/** After a suite.verdict: one record per test case, with test.case.name and test.case.result.status. Others: none. */
export function testCaseRecords(e: RunEvent): OtlpRecord[] {
  if (e.type !== "suite.verdict") return [];
  const observed = parseRfc3339Nanos(e.ts) ?? msToHrTime(Date.parse(e.ts));
  return (e.result.tests ?? []).map((t) => {
    const status = RESULT_STATUS[t.status];
    const attributes: Record<string, string | number> = {
      [ATTR_SUITE]: e.suite,
      [ATTR_TEST_SUITE_NAME]: e.suite,
      [ATTR_TEST_CASE_NAME]: t.id,
      ...(status ? { [ATTR_TEST_CASE_RESULT_STATUS]: status } : {}),
      [ATTR_TEST_STATUS]: t.status,
      ...(t.trend ? { [ATTR_TEST_TREND]: t.trend.kind } : {}),
    };
    const failed = status === "fail";
    const body: Body = { id: t.id, status: t.status, durationMs: t.durationMs, ...(t.message && t.status !== "passed" ? { message: t.message } : {}) };
    return {
      timestamp: observed,
      observedTimestamp: observed,
      severityNumber: failed ? Severity.error : Severity.info,
      severityText: failed ? "ERROR" : "INFO",
      eventName: TEST_CASE_EVENT,
      body,
      attributes,
    };
  });
}
