// The library contract of run(): run.finished is the last event of every run (passing, failing,
// interrupted, could not run, notify-configured) and carries the result run() returns; the
// report page and the notifications do their work, and say their warnings, before it.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startReceiver } from "../../support/http-receiver.js";
import type { Receiver } from "../../support/http-receiver.js";
import { jobCreated } from "../support/pod-states.js";
import { IMAGE_CONFIG, expectFinishedLast, playJob, startRun } from "./support.js";

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe("run.finished is the last event of every run", () => {
  it("a passing run, on a fixed clock: every event and the result are stamped with it", async () => {
    const at = Date.parse("2030-01-02T03:04:05.678Z");
    const t = startRun(IMAGE_CONFIG, { now: () => at });
    const done = t.start();
    await playJob(t.cluster, 0);
    const result = await done;
    expect(result.exitCode).toBe(0);
    await expectFinishedLast(t.events, result, t.reportDir);
    expect(new Set(t.events.map((e) => e.ts))).toEqual(new Set(["2030-01-02T03:04:05.678Z"]));
    expect([result.startedAt, result.finishedAt]).toEqual(["2030-01-02T03:04:05.678Z", "2030-01-02T03:04:05.678Z"]);
    expect(existsSync(join(t.reportDir, "report.html"))).toBe(true);
  });

  it("a failing run whose report page cannot be written: the warning is on the result run.finished carries", async () => {
    const t = startRun();
    mkdirSync(join(t.reportDir, "report.html"), { recursive: true }); // a folder where the page goes
    const done = t.start();
    await playJob(t.cluster, 1);
    const result = await done;
    expect(result.exitCode).toBe(1);
    expect(result.warnings).toEqual([expect.stringMatching(/^could not write .*report\.html: EISDIR/)]);
    expect(t.events.some((e) => e.type === "run.note" && e.level === "warning")).toBe(false);
    await expectFinishedLast(t.events, result, t.reportDir);
  });

  it("an interrupted run", async () => {
    const t = startRun();
    const done = t.start();
    await jobCreated(t.cluster);
    t.controller.abort();
    const result = await done;
    expect(result.exitCode).toBe(130);
    expect(result.suites[0]?.verdict).toBe("interrupted");
    await expectFinishedLast(t.events, result, t.reportDir);
  });

  it("a run that could not run (the preflight): a result, not an exception", async () => {
    const t = startRun();
    t.cluster.namespaces.clear();
    const result = await t.start();
    expect(result.exitCode).toBe(3);
    expect(result.suites[0]).toMatchObject({ verdict: "couldNotRun", class: "namespaceMissing" });
    await expectFinishedLast(t.events, result, t.reportDir);
  });

  it("a run whose report directory cannot be written: run() builds the could-not-run result itself; nothing saved", async () => {
    const r = startRun();
    mkdirSync(join(r.reportDir, "run.json"), { recursive: true }); // the first file it writes cannot be written
    const result = await r.start();
    expect(result).toMatchObject({ exitCode: 3, reportDir: "", namespace: "ns", context: "fake" });
    expect(result.runId).toMatch(/^[a-z0-9]{6}$/);
    const image = "127.0.0.1:5000/incluster/app-tests:1";
    expect(result.suites).toEqual([expect.objectContaining({ suite: "smoke", verdict: "couldNotRun", reason: "REPORT_DIR_UNWRITABLE", image })]);
    expect(result.suites[0]?.message).toMatch(/^cannot write the report directory report: EISDIR/);
    expect(result.warnings).toBeUndefined();
    expect(existsSync(join(r.reportDir, "report.html"))).toBe(false);
    expect(r.cluster.calls).toEqual([]);
    expect(r.events.map((e) => e.type)).toEqual(["run.started", "suite.verdict", "run.finished"]);
    await expectFinishedLast(r.events, result);
  });

  it("a notify-configured run: the deliveries happen before run.finished, which carries their warnings; the env option is the environment", async () => {
    const hook = await startReceiver("ok");
    receivers.push(hook);
    const targets = ["HOOK", "INCLUSTER_TEST_PROCESS_ONLY"].map((v) => `  - { type: webhook, urlFromEnv: ${v}, on: always }\n`);
    const yaml = `${IMAGE_CONFIG}notify:\n${targets.join("")}`;
    // Only in process.env: the library must not read it behind the caller's back.
    process.env.INCLUSTER_TEST_PROCESS_ONLY = hook.url;
    try {
      const t = startRun(yaml, { env: { HOOK: hook.url } });
      const done = t.start();
      await playJob(t.cluster, 1);
      const result = await done;
      expect(hook.received).toHaveLength(1);
      expect(JSON.parse(hook.received[0]!.body)).toMatchObject({ kind: "RunResult", runId: result.runId, exitCode: 1 });
      const unset = "notify[1] (webhook, $INCLUSTER_TEST_PROCESS_ONLY): not sent: environment variable INCLUSTER_TEST_PROCESS_ONLY is not set or empty";
      expect(result.warnings).toEqual([unset]);
      const sent = t.events.findIndex((e) => e.type === "run.note" && e.text === "notify[0] (webhook, $HOOK): sent (HTTP 200)");
      expect(sent).toBeGreaterThan(0);
      await expectFinishedLast(t.events, result, t.reportDir);
    } finally {
      delete process.env.INCLUSTER_TEST_PROCESS_ONLY;
    }
  });

  it("an OTLP-exporting run whose collector fails: the export's notes come before run.finished", async () => {
    const collector = await startReceiver("error500", "/otlp");
    receivers.push(collector);
    const t = startRun(IMAGE_CONFIG, { otlpEndpoint: collector.url });
    const done = t.start();
    await playJob(t.cluster, 0);
    const result = await done;
    expect(collector.received.length).toBeGreaterThan(0);
    const notes = t.events.filter((e) => e.type === "run.note" && e.text.startsWith(`OTLP export to ${collector.url}/v1/logs`));
    expect(notes.map((e) => e.type === "run.note" && e.level)).toEqual(["warning", "verbose"]);
    await expectFinishedLast(t.events, result, t.reportDir);
  });
});
