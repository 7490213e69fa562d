// The test.quarantined event from the engine: a suite run through the fake cluster port, its
// pytest JUnit served in the collector's tar (pods/exec), one test quarantined by a `quarantine:`
// entry and one by the automatic policy over a seeded history. Each gets one event before the
// suite's verdict, with what it did and why; the suite passes, and OTLP names the test as the
// test conventions do.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { c as tarCreate } from "tar";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/parse.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import type { RunEvent } from "../../../src/events/types.js";
import { clusterHistoryStore } from "../../../src/history/cluster-store.js";
import type { Pod } from "../../../src/k8s-types.js";
import { ARTIFACTS_SUBDIR, LOG_COPY } from "../../../src/names.js";
import { ATTR_TEST_CASE_NAME, ATTR_TEST_CASE_RESULT_STATUS, ATTR_TEST_STATUS, toOtlpRecord } from "../../../src/otlp/records.js";
import { terminalText } from "../../../src/report/terminal.js";
import { renderSuite } from "../../../src/render/suite.js";
import { PYTEST_JUNIT } from "../../../src/runners/pytest.js";
import { realSetTimer } from "../../../src/timers.js";
import { FakeCluster, pod, settle } from "../support/fake-cluster.js";
import { startPipeline } from "../support/pipeline.js";
import { jobCreated, serveLog } from "../support/pod-states.js";
import { run } from "./fixtures.js";

const FILE = "tests/e2e/test_q.py";
const PASSES = `${FILE}::test_passes`;
const FAILS = `${FILE}::test_fails_on_purpose`;
const FLAKY = `${FILE}::test_flaky`;

const config = parseConfig(
  `
apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: ns
source: { git: { url: git://10.244.0.1/sample-app.git, ref: main } }
defaults: { image: 127.0.0.1:5000/incluster/python:3.11-pytest }
flaky: { quarantine: auto, window: 20, threshold: 2, release: 5 }
suites:
  smoke:
    test: ${FILE}
    quarantine:
      - { test: "${FILE}::test_fails_*", reason: JIRA-42 fails on purpose, until: "2099-12-31" }
`,
  "incluster.yaml",
);

/** pytest's xunit1 JUnit: one test passed, two failed. */
const JUNIT = `<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="0" failures="2" skipped="0" tests="3" time="0.3">
<testcase classname="tests.e2e.test_q" name="test_passes" file="${FILE}" line="1" time="0.010"/>
<testcase classname="tests.e2e.test_q" name="test_fails_on_purpose" file="${FILE}" line="4" time="0.020"><failure message="AssertionError: this test always fails">assert False</failure></testcase>
<testcase classname="tests.e2e.test_q" name="test_flaky" file="${FILE}" line="8" time="0.030"><failure message="AssertionError: sometimes">assert False</failure></testcase>
</testsuite></testsuites>
`;

/** The collector's answer to the copy: its log copy and artifacts/junit.xml, as its tar sends them. */
function collectorTar(): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), "incluster-quarantined-"));
  writeFileSync(join(dir, LOG_COPY), "collected 3 items\n");
  mkdirSync(join(dir, ARTIFACTS_SUBDIR));
  writeFileSync(join(dir, ARTIFACTS_SUBDIR, PYTEST_JUNIT), JUNIT);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    tarCreate({ cwd: dir }, [LOG_COPY, ARTIFACTS_SUBDIR])
      .on("data", (d: Buffer) => chunks.push(d))
      .on("end", () => resolve(Buffer.concat(chunks)))
      .on("error", reject);
  });
}

const collector = { name: "incluster-collector", state: { running: { startedAt: "2026-11-24T00:00:01Z" } } };
const status = (test: NonNullable<Pod["status"]>["containerStatuses"]): Pod["status"] => ({
  phase: "Running",
  conditions: [{ type: "PodScheduled", status: "True" }],
  initContainerStatuses: [collector],
  containerStatuses: [{ name: "clone-repo", state: { terminated: { exitCode: 0, reason: "Completed" } } }, ...(test ?? [])],
});

describe("the test.quarantined event", () => {
  it("one per quarantined test, before the suite's verdict: the entry's reason and until, the policy's count, what each test did", async () => {
    const suite = resolveSuite(config, "smoke");
    const labels = { ...renderSuite(suite, { runId: "abc123" }).job.spec.template.metadata.labels };
    const cluster = new FakeCluster();
    const store = clusterHistoryStore({ port: cluster, namespace: "ns", setTimer: realSetTimer });
    // test_flaky was flaky in 6 of its last 20 runs: the automatic policy quarantines it.
    for (let i = 1; i <= 20; i++) await store.append("smoke", run(i, [[PASSES, "passed", 10], [FLAKY, i % 3 === 0 ? "flaky" : "passed", 30]]), 50);
    const archive = await collectorTar();
    cluster.execAnswer = async (_req, stdout) => {
      stdout.write(archive);
      return { exitCode: 0 };
    };
    const t = startPipeline(cluster, [suite], { history: { store, keep: 50 }, copyRetryMs: [1, 1], copyRetryBudgetMs: 200 });
    t.files.copies["smoke/test-runner"] = ["collected 3 items"];
    await jobCreated(cluster);
    cluster.put("pods", pod("p1", labels, status([{ name: "test-runner", state: { running: { startedAt: "2026-11-24T00:00:02Z" } } }])));
    for (let i = 0; i < 200 && cluster.openLogs("test-runner").length === 0; i++) await settle();
    cluster.put("pods", pod("p1", labels, status([{ name: "test-runner", state: { terminated: { exitCode: 1, reason: "Error" } } }])));
    await serveLog(cluster, "test-runner", ["2026-11-24T00:00:02.1Z collected 3 items\n"]);
    // The followers' final reads from where they were.
    await serveLog(cluster, "test-runner", []);
    const r = await t.promise;

    const quarantined = t.events.filter((e): e is Extract<RunEvent, { type: "test.quarantined" }> => e.type === "test.quarantined");
    expect(quarantined.map(({ v: _v, ts: _ts, runId: _r, ...body }) => body)).toEqual([
      {
        type: "test.quarantined",
        suite: "smoke",
        test: FAILS,
        outcome: "failed",
        reason: "JIRA-42 fails on purpose (until 2099-12-31)",
        until: "2099-12-31",
        rule: "entry",
      },
      { type: "test.quarantined", suite: "smoke", test: FLAKY, outcome: "failed", reason: "flaky in 6 of the last 20 runs", rule: "auto" },
    ]);
    const types = t.events.map((e) => e.type);
    expect(types.lastIndexOf("test.quarantined")).toBe(types.indexOf("suite.verdict") - 1);
    expect(r.exitCode).toBe(0);
    expect(r.suites[0]).toMatchObject({ verdict: "passed", testExitCode: 1 });
    expect(r.suites[0]?.tests?.map((x) => [x.id, x.status])).toEqual([
      [PASSES, "passed"],
      [FAILS, "quarantined"],
      [FLAKY, "quarantined"],
    ]);

    // OTLP: a log record naming the test and its result as the test conventions do; a warning (it failed).
    const rec = toOtlpRecord(quarantined[1]!);
    expect(rec).toMatchObject({ eventName: "incluster.test.quarantined", severityText: "WARN" });
    expect(rec.attributes).toMatchObject({ [ATTR_TEST_CASE_NAME]: FLAKY, [ATTR_TEST_CASE_RESULT_STATUS]: "fail", [ATTR_TEST_STATUS]: "quarantined" });
    // The terminal: one progress line each.
    const text = terminalText({ style: { color: false }, several: false, verbose: false, quietLogs: false }, quarantined[0]!);
    expect(text).toContain(`quarantined ${FAILS}: failed (JIRA-42 fails on purpose (until 2099-12-31))`);
    expect(t.timers.pending).toBe(0);
  });
});
