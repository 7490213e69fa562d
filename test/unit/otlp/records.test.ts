// RunEvent → OTLP log record (pure): the kubelet's nanoseconds, semantic-convention attributes.
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../../src/events/types.js";
import { parseRfc3339Nanos, runResource, toOtlpRecord } from "../../../src/otlp/records.js";
import { otlpLogsUrl } from "../../../src/otlp/url.js";
import { UsageError } from "../../../src/errors.js";
import { sampleResult } from "../report/sample-result.js";

const env = { v: 1 as const, ts: "2026-11-26T15:03:32.861Z", runId: "oxsf7v" };

describe("parseRfc3339Nanos", () => {
  it("keeps every nanosecond the kubelet gives, in UTC or with an offset", () => {
    expect(parseRfc3339Nanos("2026-11-26T15:03:32.136103732Z")).toEqual([1795705412, 136103732]);
    expect(parseRfc3339Nanos("2026-11-26T16:03:32.1361Z")).toEqual([1795709012, 136100000]);
    expect(parseRfc3339Nanos("2026-11-26T17:03:32.000000001+02:00")).toEqual([1795705412, 1]);
    expect(parseRfc3339Nanos("2026-11-26T15:03:32Z")).toEqual([1795705412, 0]);
    expect(parseRfc3339Nanos("yesterday")).toBeUndefined();
  });
});

describe("toOtlpRecord", () => {
  it("a log line: body is the line, time is the kubelet's, pod and container as semantic conventions name them", () => {
    const e: RunEvent = { ...env, type: "log", suite: "api", attempt: 2, shard: 1, pod: "test-api-e2e-oxsf7v-0-x2v4q", container: "test-runner", kubeletTs: "2026-11-26T15:03:32.136103732Z", line: "PASSED" };
    expect(toOtlpRecord(e)).toEqual({
      timestamp: [1795705412, 136103732],
      observedTimestamp: [1795705412, 861000000],
      severityNumber: 0,
      body: "PASSED",
      attributes: { "incluster.suite": "api", "k8s.pod.name": "test-api-e2e-oxsf7v-0-x2v4q", "k8s.container.name": "test-runner", "incluster.attempt": 2, "incluster.shard": 1 },
    });
  });

  it("a log line without the kubelet's time takes incluster's", () => {
    const e: RunEvent = { ...env, type: "log", suite: "api", pod: "p", container: "c", line: "x" };
    expect(toOtlpRecord(e).timestamp).toEqual([1795705412, 861000000]);
  });

  it("other events: an event name, the fields as the body, a severity from the level or verdict", () => {
    expect(toOtlpRecord({ ...env, type: "run.note", level: "warning", text: "disk full" })).toMatchObject({ eventName: "incluster.run.note", severityNumber: 13, severityText: "WARN", body: { level: "warning", text: "disk full" }, attributes: {} });
    expect(toOtlpRecord({ ...env, type: "suite.phase", suite: "api", phase: "running", detail: "pod/p" })).toMatchObject({ eventName: "incluster.suite.phase", severityText: "INFO", attributes: { "incluster.suite": "api" } });
    const failed = sampleResult.suites[0]!;
    const verdict = toOtlpRecord({ ...env, type: "suite.verdict", suite: failed.suite, result: failed });
    expect(verdict).toMatchObject({ eventName: "incluster.suite.verdict", severityNumber: 17, severityText: "ERROR" });
    expect(verdict.body).toEqual({ suite: failed.suite, result: JSON.parse(JSON.stringify(failed)) });
    expect(toOtlpRecord({ ...env, type: "run.finished", result: sampleResult }).severityText).toBe("ERROR");
  });

  it("the resource: service, namespace and run id", () => {
    expect(runResource({ runId: "oxsf7v", namespace: "e2e", version: "0.1.0" })).toEqual({ "service.name": "incluster", "service.version": "0.1.0", "k8s.namespace.name": "e2e", "incluster.run_id": "oxsf7v" });
  });
});

describe("otlpLogsUrl", () => {
  it("appends /v1/logs to the base URL, as OTEL_EXPORTER_OTLP_ENDPOINT is read", () => {
    expect(otlpLogsUrl("http://localhost:4318")).toBe("http://localhost:4318/v1/logs");
    expect(otlpLogsUrl("https://otel.example/otlp/")).toBe("https://otel.example/otlp/v1/logs");
  });
  it("anything but http(s) is a usage error", () => {
    expect(() => otlpLogsUrl("localhost:4318")).toThrow(UsageError);
    expect(() => otlpLogsUrl("grpc://x:4317")).toThrow(/expected an http\(s\) URL/);
  });
});
