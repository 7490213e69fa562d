// report.html (pure): the golden page of the representative run, with the timeline rows drawn
// from pods recorded on the real cluster, and the page's promises checked on the text itself.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Pod } from "../../../src/k8s-types.js";
import { excerptOf, excerptTargets } from "../../../src/report/excerpts.js";
import { duration, ticks, toHtml } from "../../../src/report/html.js";
import { podPhaseStarts, timelineOf } from "../../../src/report/timeline.js";
import type { RunResult } from "../../../src/results/run-result.js";
import { expectGolden } from "../support/golden.js";
import { sampleResult } from "./sample-result.js";

const recorded = (path: string) => JSON.parse(readFileSync(join(import.meta.dirname, "..", "fixtures", "recorded", path), "utf8")) as Pod[];

/** A recorded pod moved in time so that it was created at `at` (every timestamp shifted alike). */
function movedTo(pod: Pod, at: string): Pod {
  const delta = Date.parse(at) - Date.parse(String(pod.metadata!.creationTimestamp));
  return JSON.parse(JSON.stringify(pod).replace(/"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"/g, (_, t: string) => `"${new Date(Date.parse(t) + delta).toISOString().replace(".000Z", "Z")}"`)) as Pod;
}

const [a1] = recorded("retried/attempt-1-pods.json");
const [a2] = recorded("retried/attempt-2-pods.json");
const shardPods = recorded("sharded/pods.json");
const shop = sampleResult.suites[1]!;
const pods = {
  api: { suite: [], attempts: { 1: [movedTo(a1!, "2026-11-24T10:00:05Z")], 2: [movedTo(a2!, "2026-11-24T10:01:00Z")] } },
  // The recorded shard pods stand for shop's; their names are the recorded ones.
  shop: { suite: shardPods.map((p) => movedTo(p, "2026-11-24T10:00:06Z")), attempts: {} },
};
const result: RunResult = {
  ...sampleResult,
  suites: sampleResult.suites.map((s) =>
    s.suite === "api"
      ? { ...s, phases: { queued: "2026-11-24T10:01:00.100Z", scheduled: "2026-11-24T10:01:00.120Z", running: "2026-11-24T10:01:03.500Z", finished: "2026-11-24T10:01:40.400Z" } }
      : s.suite === "shop"
        ? { ...s, shards: shop.shards!.map((sh) => ({ ...sh, pod: shardPods[sh.index]!.metadata!.name! })), phases: { queued: "2026-11-24T10:00:05.100Z", scheduled: "2026-11-24T10:00:05.200Z", pulling: "2026-11-24T10:00:05.300Z", cloning: "2026-11-24T10:00:09Z", running: "2026-11-24T10:00:11Z", finished: "2026-11-24T10:00:46Z" } }
        : s,
  ),
};
const guestId = "tests/e2e/test_api.py::TestUsers::test_create[guest]";
const log = [
  "== incluster: suite api ==",
  "tests/e2e/test_api.py .F.",
  "=================================== FAILURES ===================================",
  "__________________________ TestUsers.test_create[guest] __________________________",
  "    def test_create(self, role):",
  ">       assert resp.status == 201",
  "E       assert 403 == 201",
  "tests/e2e/test_api.py:14: AssertionError",
  "=========================== short test summary info ============================",
  "FAILED tests/e2e/test_api.py::TestUsers::test_create[guest] - assert 403 == 201",
  "\u001b[31m1 failed, 2 passed\u001b[0m in 0.31s <script>alert(1)</script>",
  "",
].join("\n");
const excerpts = excerptTargets(result).map((t) => excerptOf({ ...t, path: t.path ?? `${result.reportDir}/${t.suite}/shard-${t.shard}/${t.container}.log`, text: log, complete: true }, result.suites.find((s) => s.suite === t.suite)));
const html = toHtml({ result, timeline: timelineOf(result, pods), excerpts, version: "0.1.0" });

describe("report.html", () => {
  it("golden", () => expectGolden("report/report.html", html));

  it("is self-contained: no script, no stylesheet or image to fetch, a CSP that forbids any request", () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|@import|url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
    expect(html).not.toContain("\u001b");
  });

  it("landmarks and headings: header, nav, main, footer; one h1, an h2 per suite and for the failures and the timeline", () => {
    for (const tag of ["<header>", '<nav aria-label="Suites">', '<main id="main">', "<footer>"]) expect(html).toContain(tag);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html.match(/<h2[ >]/g)).toHaveLength(2 + result.suites.length);
    expect(html).toContain('<html lang="en">');
  });

  it("the timeline: a row per suite, then one per attempt and per shard, each with a text alternative", () => {
    const t = timelineOf(result, pods);
    expect(t.rows.map((r) => r.label)).toEqual(["api", "attempt 1", "attempt 2", "shop", "shard 0", "shard 1", "smoke", "load"]);
    expect(html.match(/<tr class="k-(suite|attempt|shard)">/g)).toHaveLength(8);
    expect(html.match(/<span class="sr">/g)?.length).toBeGreaterThanOrEqual(8);
    // Drawn to scale: shop's pulling lasted 3.7 s of the run's 150 s.
    expect(t.totalMs).toBe(150_000);
    expect(t.rows[3]!.segments.find((s) => s.phase === "pulling")).toEqual({ phase: "pulling", startMs: 5300, endMs: 9000 });
  });

  it("what failed comes first: every failing test of every suite, then each suite that did not pass without one, then the timeline", () => {
    const failures = html.slice(html.indexOf('<section id="failures"'), html.indexOf('<section aria-labelledby="timeline-h">'));
    const failing = result.suites.flatMap((s) => s.tests ?? []).filter((t) => t.status !== "passed" && t.status !== "skipped");
    expect(failures).toContain("5 failing tests (3 failed, 1 error, 1 flaky) in 2 suites; 1 suite did not pass without a failing test.");
    for (const t of failing) expect(failures).toContain(`<td class="id"><code>${t.id}</code></td>`);
    expect(failures.match(/<tr class="t-(failed|error|flaky)">/g)).toHaveLength(failing.length);
    expect(failures).toContain("<code>deadlineExceeded</code>: Job was active longer than specified deadline");
    expect(failures).not.toContain("smoke");
  });

  it("passed and skipped tests collapsed in each suite's section, with their counts on the summary", () => {
    expect(html).toContain('<details class="list"><summary>2 passed tests</summary>');
    expect(html).toContain('<details class="list"><summary>1 skipped test</summary>');
    expect(html).toContain("    0.0 s  tests/e2e/test_api.py::test_metrics — metrics disabled");
    expect(html).not.toMatch(/<details class="list" open/);
    expect(html).toContain('<p>Its failing tests are listed under <a href="#suite-api-failures">Failures</a> (1 failed, 1 error, 1 flaky).</p>');
  });

  it("failures expanded: each failed, errored and flaky test has an open <details>, with its section of the log", () => {
    const failing = result.suites.flatMap((s) => s.tests ?? []).filter((t) => t.status !== "passed" && t.status !== "skipped");
    expect(html.match(/<details open>/g)).toHaveLength(failing.length);
    expect(excerpts.find((x) => x.suite === "api" && x.attempt === 1)!.sections[guestId]).toEqual(log.split("\n").slice(3, 8));
  });

  it("pods' own times: queued at creation, scheduled, cloning, running, the end at the test container's end", () => {
    const { starts, end } = podPhaseStarts(a1!);
    expect(Object.keys(starts)).toEqual(["queued", "scheduled", "cloning", "running"]);
    expect(end).toBeGreaterThan(starts.running!);
  });

  it("durations", () => {
    expect([duration(400), duration(12_400), duration(125_000)]).toEqual(["0.4 s", "12 s", "2 min 5 s"]);
  });
});

describe("the timeline's axis", () => {
  it("has round steps, and one mark for a run of 0 ms (it looped forever: a 0 ms step)", () => {
    expect(ticks(10_000)).toEqual([0, 2000, 4000, 6000, 8000, 10_000]);
    expect(ticks(0)).toEqual([0]);
    expect(ticks(Number.NaN)).toEqual([0]);
  });
});
