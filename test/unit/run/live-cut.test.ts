// A live follow far behind (a burst of output) is cut once the pod's own log copy is back, and
// the lines it had not echoed come from the copy: events still carry every line once, in order.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { c as tarCreate } from "tar";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/parse.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import type { Pod } from "../../../src/k8s-types.js";
import type { RunEvent } from "../../../src/events/types.js";
import { renderSuite } from "../../../src/render/suite.js";
import { TERMINATED_GRACE_MS } from "../../../src/follow/log-follower.js";
import { HEAD_LINES } from "../../../src/run/pod-echo.js";
import { sampleGitYaml } from "../support/fixtures.js";
import { FakeCluster, pod, settle } from "../support/fake-cluster.js";
import { startPipeline } from "../support/pipeline.js";
import { jobCreated, serveLog } from "../support/pod-states.js";

const CONFIG = sampleGitYaml(`  smoke:
    command: ["python3", "-c", "print(1)"]`);

const collector = { name: "incluster-collector", state: { running: { startedAt: "2026-11-24T00:00:01Z" } } };
const status = (test: NonNullable<Pod["status"]>["containerStatuses"]): Pod["status"] => ({
  phase: "Running",
  conditions: [{ type: "PodScheduled", status: "True" }],
  initContainerStatuses: [collector],
  containerStatuses: [{ name: "clone-repo", state: { terminated: { exitCode: 0, reason: "Completed" } } }, ...(test ?? [])],
});

/** The collector's answer to the copy: a tar holding the pod's own log copy. */
function tarOf(lines: string[]): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), "incluster-cut-"));
  writeFileSync(join(dir, "test-runner.log"), lines.map((l) => `${l}\n`).join(""));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    tarCreate({ cwd: dir }, ["test-runner.log"]).on("data", (d: Buffer) => chunks.push(d)).on("end", () => resolve(Buffer.concat(chunks))).on("error", reject);
  });
}

describe("a live follow behind the pod's own copy", () => {
  /**
   * One suite whose test container's live follow delivered `live` (raw kubelet text) and stays
   * open when the container ends; the collector's copy holds `all`. `between` runs after the
   * container ended (to answer the follow's reads when it is not cut).
   */
  async function cutRun(all: string[], live: string, o: { liveCutBytes?: number; copyRetryMs?: number[]; copyRetryBudgetMs?: number; between?: (c: FakeCluster) => Promise<void>; answer?: (archive: Buffer, stdout: NodeJS.WritableStream, events: () => readonly RunEvent[]) => Promise<{ exitCode: number | undefined; error?: { message: string } }> } = {}) {
    const config = parseConfig(CONFIG, "incluster.yaml");
    const suite = resolveSuite(config, "smoke");
    const labels = { ...renderSuite(suite, { runId: "abc123" }).job.spec.template.metadata.labels };
    const cluster = new FakeCluster();
    const archive = await tarOf(all);
    cluster.execAnswer = async (_req, stdout) => {
      if (o.answer) return o.answer(archive, stdout, () => t.events);
      stdout.write(archive);
      return { exitCode: 0 };
    };
    const t = startPipeline(cluster, [suite], { ...(o.liveCutBytes !== undefined ? { liveCutBytes: o.liveCutBytes } : {}), copyRetryMs: o.copyRetryMs ?? [1, 1], copyRetryBudgetMs: o.copyRetryBudgetMs ?? 200 });
    t.files.copies["smoke/test-runner"] = all;
    await jobCreated(cluster);
    cluster.put("pods", pod("p1", labels, status([{ name: "test-runner", state: { running: { startedAt: "2026-11-24T00:00:02Z" } } }])));
    for (let i = 0; i < 200 && cluster.openLogs("test-runner").length === 0; i++) await settle();
    cluster.openLogs("test-runner")[0]!.handlers.onData(live);
    cluster.put("pods", pod("p1", labels, status([{ name: "test-runner", state: { terminated: { exitCode: 0, reason: "Completed" } } }])));
    await o.between?.(cluster);
    const r = await t.promise;
    const logs = t.events.flatMap((e) => (e.type === "log" && e.container === "test-runner" ? [e] : []));
    // The collector is told it may go only once a copy came whole here (collect.ts).
    return { r, t, logs, marks: () => cluster.collectedAcks() };
  }
  const stamped = (lines: string[]) => lines.map((l, i) => `2026-11-24T00:00:02.${i + 1}Z ${l}\n`).join("");
  /** The same for any number of lines (nanosecond fractions keep their order). */
  const stampedNs = (lines: string[]) => lines.map((l, i) => `2026-11-24T00:00:02.${String(i + 1).padStart(9, "0")}Z ${l}\n`).join("");

  it("after lines the kubelet rotated away: the copy takes over after the last lines echoed, found in it", async () => {
    const all = ["l1", "l2", "l3", "l4", "l5", "l6", "l7", "l8"];
    const { r, logs } = await cutRun(all, stamped(["l1", "l2", "l4", "l5", "l6"]), { liveCutBytes: 0 });
    expect(logs.map((e) => `${e.line}${e.fromCopy ? "*" : ""}`)).toEqual(["l1", "l2", "l4", "l5", "l6", "l7*", "l8*"]);
    expect(r.suites[0]?.notes.join("\n")).toContain("5 of 8 lines echoed live, the last 2 from the copy, 1 not echoed (the kubelet rotated them away before they were read)");
  });

  it("a line cut in half by the stop is not echoed half: the copy gives it whole", async () => {
    const { logs } = await cutRun(["l1", "l2", "l3", "l4 whole"], `${stamped(["l1", "l2", "l3"])}2026-11-24T00:00:02.4Z l4 wh`, { liveCutBytes: 0 });
    expect(logs.map((e) => `${e.line}${e.fromCopy ? "*" : ""}`)).toEqual(["l1", "l2", "l3", "l4 whole*"]);
  });

  it("is cut when the copy is back; the rest is echoed from it (fromCopy), every line once, in order", async () => {
    const all = ["line 1", "line 2", "line 3", "line 4", "line 5"];
    // The live follow delivers two lines and stays open, far behind.
    const { r, t, logs } = await cutRun(all, stampedNs(["line 1", "line 2"]), { liveCutBytes: 0 });
    expect(r.suites[0]?.verdict).toBe("passed");
    expect(logs.map((e) => e.line)).toEqual(all);
    expect(logs.map((e) => e.fromCopy ?? false)).toEqual([false, false, true, true, true]);
    expect(r.suites[0]?.notes.join("\n")).toContain("was cut for the pod's own copy of its log, echoed as it came: 2 of 5 lines echoed live, the last 3 from the copy; the saved");
    // The saved log is the copy, not the copy plus the echoed lines again.
    expect(t.lines["smoke/test-runner"]).toEqual(all);
    expect(t.timers.pending).toBe(0);
  });

  it("with little left to echo (under LIVE_CUT_BYTES) the follow is read to its end: kubelet stamps kept", async () => {
    const { logs } = await cutRun(["l1", "l2", "l3"], stamped(["l1"]), {
      between: async (cluster) => {
        await serveLog(cluster, "test-runner", ["2026-11-24T00:00:02.2Z l2\n2026-11-24T00:00:02.3Z l3\n"]);
        await serveLog(cluster, "test-runner", []);
      },
    });
    expect(logs.map((e) => [e.line, e.kubeletTs, e.fromCopy])).toEqual([
      ["l1", "2026-11-24T00:00:02.1Z", undefined],
      ["l2", "2026-11-24T00:00:02.2Z", undefined],
      ["l3", "2026-11-24T00:00:02.3Z", undefined],
    ]);
  });

  it("echoes the copy as it streams in: its first lines are events before its last bytes have come", async () => {
    const all = Array.from({ length: 2000 }, (_, i) => `line ${i + 1}`);
    let echoedBeforeEnd = -1;
    const { logs } = await cutRun(all, stamped(["line 1"]), {
      liveCutBytes: 0,
      answer: async (archive, stdout, events) => {
        const half = 512 + 8 * 1024;
        stdout.write(archive.subarray(0, half));
        await settle();
        echoedBeforeEnd = events().filter((e) => e.type === "log" && e.fromCopy).length;
        stdout.write(archive.subarray(half));
        return { exitCode: 0 };
      },
    });
    expect(echoedBeforeEnd).toBeGreaterThan(500);
    expect(logs.map((e) => e.line)).toEqual(all);
  });

  it("a copy that breaks off after the cut, and again on every retry: the follow resumes where it was cut; every line once, the saved log complete", async () => {
    const all = Array.from({ length: 2000 }, (_, i) => `line ${i + 1}`);
    const { r, t, logs, marks } = await cutRun(all, stampedNs(["line 1", "line 2"]), {
      liveCutBytes: 0,
      // About half of the log copy, then the exec stream breaks.
      answer: async (archive, stdout) => {
        stdout.write(archive.subarray(0, 512 + 8 * 1024 + 100));
        return { exitCode: undefined, error: { message: "stream reset" } };
      },
      between: async (cluster) => {
        // The resumed read (the container has ended: one read from the cut's second) brings the rest.
        const resumed = () => cluster.openLogs("test-runner").find((l) => l.req.follow === false);
        for (let i = 0; i < 400 && !resumed(); i++) await new Promise((res) => setTimeout(res, 5));
        const l = resumed();
        if (!l) throw new Error("the follow did not resume");
        l.open = false;
        l.handlers.onData(stampedNs(all).split("\n").slice(1).join("\n"));
        l.handlers.onClose(undefined);
        const req = l.req;
        expect(req).toMatchObject({ follow: false, sinceTime: "2026-11-24T00:00:02Z" });
      },
    });
    expect(logs.map((e) => e.line)).toEqual(all);
    const fromCopy = logs.filter((e) => e.fromCopy).length;
    expect(fromCopy).toBeGreaterThan(500);
    expect(fromCopy).toBeLessThan(1998);
    expect(t.lines["smoke/test-runner"]).toEqual(all);
    // No copy came whole: the collector is never told to go (it goes after its idle grace).
    expect(marks()).toBe(0);
    expect(t.events.some((e) => e.type === "suite.note" && /no copy of pod\/p1's log came whole in \d+ tries \(\d+ line\(s\) echoed from them\); its live follow resumes where it was cut/.test(e.text))).toBe(true);
    expect(r.suites[0]?.verdict).toBe("passed");
  });

  it("a copy that breaks off is taken again: the echo goes on after the last line echoed; every line once, in order", async () => {
    const all = Array.from({ length: 2000 }, (_, i) => `line ${i + 1}`);
    let execs = 0;
    const { r, t, logs, marks } = await cutRun(all, stampedNs(["line 1", "line 2"]), {
      liveCutBytes: 0,
      answer: async (archive, stdout) => {
        // The first copy breaks off about half-way; the second comes whole.
        if (++execs === 1) {
          stdout.write(archive.subarray(0, 512 + 8 * 1024 + 100));
          return { exitCode: undefined, error: { message: "stream reset" } };
        }
        stdout.write(archive);
        return { exitCode: 0 };
      },
    });
    expect(execs).toBe(2);
    // Only the copy that came whole lets the collector go.
    expect(marks()).toBe(1);
    expect(logs.map((e) => e.line)).toEqual(all);
    expect(logs.filter((e) => e.fromCopy).length).toBe(1998);
    expect(t.lines["smoke/test-runner"]).toEqual(all);
    expect(r.suites[0]?.notes.join("\n")).toContain("2 of 2000 lines echoed live, the last 1998 from the copy; the saved test-runner log is that copy, complete");
    expect(r.suites[0]?.artifacts?.problem).toBeUndefined();
  });
  it("the follow breaks after the container ended, before the copy came: the copy takes over, no read from a timestamp (which would miss rotated lines)", async () => {
    const all = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { r, t, logs } = await cutRun(all, stampedNs(["line 1", "line 2", "line 3"]), {
      answer: async (archive, stdout) => {
        await gate;
        stdout.write(archive);
        return { exitCode: 0 };
      },
      between: async (cluster) => {
        const follow = cluster.openLogs("test-runner")[0]!;
        follow.open = false;
        follow.handlers.onClose({ message: "read: connection reset by peer" });
        await settle();
        release();
      },
    });
    // A read from the last timestamp reads only the kubelet's current file: it is never asked for.
    expect(t.events.some((e) => e.type === "suite.note" && /broke after its container ended: the rest of its output is echoed from the pod's own copy/.test(e.text))).toBe(true);
    expect(logs.map((e) => e.line)).toEqual(all);
    expect(logs.filter((e) => e.fromCopy).length).toBe(47);
    expect(r.suites[0]?.verdict).toBe("passed");
  });

  it("a follow still open after the container ended is kept while the copy is on its way (no read from a timestamp), then cut at the copy's header", async () => {
    const all = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reads = -1;
    const { logs } = await cutRun(all, stampedNs(["line 1", "line 2"]), {
      liveCutBytes: 0,
      answer: async (archive, stdout) => {
        await gate;
        stdout.write(archive);
        return { exitCode: 0 };
      },
      between: async (cluster) => {
        // Past the follower's grace after the container ended.
        await new Promise((res) => setTimeout(res, TERMINATED_GRACE_MS + 200));
        reads = cluster.logRequests.filter((l) => l.req.container === "test-runner" && l.req.follow === false).length;
        expect(cluster.openLogs("test-runner")).toHaveLength(1);
        release();
      },
    });
    expect(reads).toBe(0);
    expect(logs.map((e) => e.line)).toEqual(all);
    expect(logs.filter((e) => e.fromCopy).length).toBe(48);
  });

  it("the follow hands over and the copy never comes whole: retried, then the follow resumes where it broke", async () => {
    const all = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    let execs = 0;
    const { r, t, logs } = await cutRun(all, stampedNs(["line 1", "line 2"]), {
      copyRetryBudgetMs: 100,
      answer: async () => {
        execs++;
        await new Promise((res) => setTimeout(res, 5));
        return { exitCode: undefined, error: { message: "container not found" } };
      },
      between: async (cluster) => {
        const follow = cluster.openLogs("test-runner")[0]!;
        follow.open = false;
        follow.handlers.onClose({ message: "read: connection reset by peer" });
        const resumed = () => cluster.openLogs("test-runner").find((l) => l.req.follow === false);
        for (let i = 0; i < 400 && !resumed(); i++) await new Promise((res) => setTimeout(res, 5));
        const l = resumed();
        if (!l) throw new Error("the follow did not resume");
        l.open = false;
        l.handlers.onData(stampedNs(all));
        l.handlers.onClose(undefined);
      },
    });
    expect(execs).toBeGreaterThan(1);
    expect(t.events.some((e) => e.type === "suite.note" && /the copy of pod\/p1's log did not come/.test(e.text))).toBe(true);
    expect(logs.map((e) => e.line)).toEqual(all);
    expect(r.suites[0]?.verdict).toBe("passed");
  });
  it("a follow that starts after the kubelet rotated the log's first lines away (its first line is not the runner's banner) is cut: the copy echoes everything, in order", async () => {
    const all = ["== incluster: suite smoke ==", ...Array.from({ length: 30 }, (_, i) => `line ${i + 1}`)];
    // The follow begins at line 21, written 7 s after the container started.
    const late = all.slice(21).map((l, i) => `2026-11-24T00:00:09.${String(i + 1).padStart(3, "0")}Z ${l}\n`).join("");
    const { r, t, logs } = await cutRun(all, late);
    expect(t.events.some((e) => e.type === "suite.note" && /rotated the first lines of pod\/p1's test-runner log away/.test(e.text))).toBe(true);
    expect(logs.map((e) => e.line)).toEqual(all);
    expect(logs.every((e) => e.fromCopy)).toBe(true);
    expect(r.suites[0]?.verdict).toBe("passed");
  });
  it(`a follow whose first ${HEAD_LINES} lines hold no banner is cut even when stamped within the container's first second (a burst rotated away at once)`, async () => {
    const all = ["== incluster: suite smoke ==", ...Array.from({ length: 40 }, (_, i) => `line ${i + 1}`)];
    // The follow begins at line 10, in the same second as startedAt: the stamp alone cannot tell.
    const { r, t, logs } = await cutRun(all, stampedNs(all.slice(10)));
    expect(t.events.some((e) => e.type === "suite.note" && /rotated the first lines of pod\/p1's test-runner log away/.test(e.text))).toBe(true);
    expect(logs.map((e) => e.line)).toEqual(all);
    expect(logs.every((e) => e.fromCopy)).toBe(true);
    expect(r.suites[0]?.verdict).toBe("passed");
  });
  it("a shell's warning before the banner is held, then echoed live with it, in order", async () => {
    const all = ["sh: warning: setlocale: LC_ALL: cannot change locale", "== incluster: suite smoke ==", ...Array.from({ length: 20 }, (_, i) => `line ${i + 1}`)];
    // The follow is read to its end (little left): every line comes live.
    const { r, t, logs } = await cutRun(all, stampedNs(all), {
      between: async (cluster) => {
        await serveLog(cluster, "test-runner", []);
        await serveLog(cluster, "test-runner", []);
      },
    });
    expect(t.events.some((e) => e.type === "suite.note" && /rotated the first lines/.test(e.text))).toBe(false);
    expect(logs.map((e) => e.line)).toEqual(all);
    expect(logs.some((e) => e.fromCopy)).toBe(false);
    expect(r.suites[0]?.verdict).toBe("passed");
  });
});
