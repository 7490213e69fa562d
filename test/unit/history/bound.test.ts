// A single run too large for one history object: 100,000 tests with ids as varied as a real
// suite's (a hash in each, so gzip cannot fold them away) encode to ~1.7 MB, past the 512 KiB cap,
// and the newest run always stays. The write lands anyway, bounded: every test that did not pass is
// kept, then the longest passing ones; the rest are counted; one warning says what was left out.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { omittedText } from "../../../src/history/bound.js";
import { decodeHistory, encodeHistory, fitHistory, HISTORY_MAX_BYTES } from "../../../src/history/codec.js";
import { clusterHistoryStore } from "../../../src/history/cluster-store.js";
import type { HistoryRun, HistoryTestStatus } from "../../../src/history/model.js";
import type { EventBody } from "../../../src/events/types.js";
import type { MergedTest } from "../../../src/results/model.js";
import type { RunResult } from "../../../src/results/run-result.js";
import { writeHistories } from "../../../src/run/history.js";
import { realSetTimer } from "../../../src/timers.js";
import { FakeCluster } from "../support/fake-cluster.js";

const TESTS = 100_000;
const hex = (k: number, n: number) => createHash("sha1").update(String(k)).digest("hex").slice(0, n);
/** Every 500th test failed, every 700th flaky, every 900th skipped; the rest passed. */
const statusOf = (k: number): HistoryTestStatus => (k % 500 === 0 ? "failed" : k % 700 === 0 ? "flaky" : k % 900 === 0 ? "skipped" : "passed");
const idOf = (k: number) => `tests/e2e/test_${hex(k, 8)}.py::TestFlow::test_${hex(k + TESTS, 12)}[case-${k % 13}]`;
const durationOf = (k: number) => 5 + ((k * 7919) % 20_000);

function hugeRun(count = TESTS): HistoryRun {
  const tests = Array.from({ length: count }, (_, k) => ({ id: idOf(k), status: statusOf(k), durationMs: durationOf(k) }));
  return { runId: "big1", startedAt: "2026-12-07T22:00:00.000Z", verdict: "failed", attempts: 1, durationMs: 3_600_000, tests };
}

describe("a run too large for the history object", () => {
  it("fitHistory bounds it under the limit: every non-passed test and the longest passing ones kept, the rest counted", () => {
    const run = hugeRun();
    const whole = encodeHistory({ suite: "huge", runs: [run] }).length;
    const older = { ...run, runId: "old", startedAt: "2026-12-06T00:00:00.000Z", tests: run.tests.slice(0, 10) };
    const t0 = Date.now();
    const fitted = fitHistory({ suite: "huge", runs: [run, older] }, 50);
    const ms = Date.now() - t0;
    const kept = fitted.history.runs[0]!;
    const notPassed = run.tests.filter((t) => t.status !== "passed");
    console.log(
      `[history] one run of ${TESTS} tests: ${whole} B encoded whole (limit ${HISTORY_MAX_BYTES}); bounded: ${fitted.bytes.length} B, ` +
        `${kept.tests.length} tests kept, omitted ${JSON.stringify(fitted.omitted)}, in ${ms} ms`,
    );
    expect(whole).toBeGreaterThan(HISTORY_MAX_BYTES);
    expect(fitted.bytes.length).toBeLessThanOrEqual(HISTORY_MAX_BYTES);
    // Still a fair share of the run, not a token one.
    expect(fitted.bytes.length).toBeGreaterThan(HISTORY_MAX_BYTES * 0.8);
    expect(fitted.history.runs.map((r) => r.runId)).toEqual(["big1"]);
    const keptIds = new Set(kept.tests.map((t) => t.id));
    expect(notPassed.every((t) => keptIds.has(t.id))).toBe(true);
    const passedKept = kept.tests.filter((t) => t.status === "passed");
    const passedLeft = run.tests.filter((t) => t.status === "passed" && !keptIds.has(t.id));
    expect(Math.min(...passedKept.map((t) => t.durationMs))).toBeGreaterThanOrEqual(Math.max(...passedLeft.map((t) => t.durationMs)));
    expect(fitted.omitted).toEqual({ passed: passedLeft.length });
    expect(kept.omitted).toEqual({ passed: passedLeft.length });
    expect(kept.tests.length + passedLeft.length).toBe(TESTS);
    // The counts survive the codec; the kept tests keep the run's order.
    const back = decodeHistory(fitted.bytes);
    expect("runs" in back && back.runs[0]?.omitted).toEqual({ passed: passedLeft.length });
    expect("runs" in back && back.runs[0]?.tests.map((t) => t.id)).toEqual(kept.tests.map((t) => t.id));
  }, 60_000);

  it("the write lands in the store with one warning that says what was left out", async () => {
    const fake = new FakeCluster();
    const store = clusterHistoryStore({ port: fake, namespace: "ns", setTimer: realSetTimer });
    const tests = hugeRun().tests.map((t): MergedTest => ({ id: t.id, name: t.id, status: t.status, durationMs: t.durationMs, attempt: 1 }) as MergedTest);
    const suite = { suite: "huge", verdict: "failed", startedAt: "2026-12-07T22:00:00.000Z", durationSeconds: 3600, tests };
    const result = { runId: "big1", suites: [suite] } as unknown as RunResult;
    const events: EventBody[] = [];
    await writeHistories({ store, keep: 50 }, result, { emit: (e) => void events.push(e), setTimer: realSetTimer });
    const b64 = fake.configMaps.get("ns/incluster-history-huge")?.binaryData?.["history.json.gz"] ?? "";
    const bytes = Buffer.from(b64, "base64");
    const back = decodeHistory(bytes);
    const omitted = "runs" in back ? back.runs[0]?.omitted : undefined;
    console.log(`[history] stored: ${bytes.length} B (${b64.length} B as base64 in the ConfigMap); warning: ${events.map((e) => ("text" in e ? e.text : "")).join(" | ")}`);
    expect(bytes.length).toBeLessThanOrEqual(HISTORY_MAX_BYTES);
    expect(b64.length).toBeLessThan(1024 * 1024);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({ type: "run.note", level: "warning", text: omittedText("huge", TESTS, omitted ?? {}, HISTORY_MAX_BYTES) });
    expect(events[0]).toMatchObject({ text: expect.stringMatching(/^history: this run of huge has 100,000 tests, more than one history object holds \(512 KiB\): its record keeps [\d,]+ \(every test that did not pass, then the longest passing ones\) and leaves out the ids and durations of [\d,]+ passed /) });
  }, 60_000);

  it("a run that fits is untouched, and says nothing", () => {
    const small = hugeRun(1000);
    const fitted = fitHistory({ suite: "s", runs: [small] }, 50);
    expect(fitted.omitted).toBeUndefined();
    expect(fitted.history.runs[0]).toEqual(small);
  });
});
