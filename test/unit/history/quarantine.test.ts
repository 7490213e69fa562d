// The quarantine decisions, pure: the config's entries (ids, globs, until), the automatic policy
// over a suite's history (its reason, its release), and what they do to a suite's result.
import { describe, expect, it } from "vitest";
import { autoQuarantine, DEFAULT_FLAKY_POLICY, globPattern, quarantineOf, untilMs } from "../../../src/history/quarantine.js";
import type { HistoryRun, HistoryTest, SuiteHistory } from "../../../src/history/model.js";

const NOW = Date.parse("2026-12-07T12:00:00Z");
const off = DEFAULT_FLAKY_POLICY;
const auto = { ...DEFAULT_FLAKY_POLICY, quarantine: "auto" as const };

/** A history from columns of statuses, newest run first: "p" passed, "f" failed, "k" flaky, "s" skipped, "q<x>" quarantined doing x. */
function history(byTest: Record<string, string[]>): SuiteHistory {
  const n = Math.max(...Object.values(byTest).map((c) => c.length));
  const word = { p: "passed", f: "failed", k: "flaky", s: "skipped" } as const;
  const runs: HistoryRun[] = Array.from({ length: n }, (_, i) => ({
    runId: `r${i}`,
    startedAt: new Date(NOW - i * 3600_000).toISOString(),
    verdict: "passed",
    attempts: 1,
    durationMs: 1000,
    tests: Object.entries(byTest).flatMap(([id, col]): HistoryTest[] => {
      const c = col[i];
      if (!c) return [];
      if (c.startsWith("q")) return [{ id, status: "quarantined", outcome: word[c[1] as keyof typeof word], durationMs: 10 }];
      return [{ id, status: word[c as keyof typeof word], durationMs: 10 }];
    }),
  }));
  return { suite: "s", runs };
}

describe("quarantine entries", () => {
  it("an id or a glob; the first entry that matches gives the reason, with its end", () => {
    const q = quarantineOf(
      [
        { test: "t.py::test_a", reason: "JIRA-1" },
        { test: "t.py::test_b*", reason: "slow nodes", until: "2026-12-31" },
      ],
      off,
      undefined,
      NOW,
    );
    expect(q.reasonFor("t.py::test_a")).toBe("JIRA-1");
    expect(q.reasonFor("t.py::test_b[1]")).toBe("slow nodes (until 2026-12-31)");
    expect(q.reasonFor("t.py::test_c")).toBeUndefined();
    expect(q.expired).toEqual([]);
  });

  it("globs: * any run of characters, ? one, everything else literal", () => {
    expect(globPattern("a.b::t[?]").test("a.b::t[1]")).toBe(true);
    expect(globPattern("a.b::t[?]").test("axb::t[1]")).toBe(false);
    expect(globPattern("tests/*").test("tests/e2e/x.py::y")).toBe(true);
  });

  it("an until in the past releases the test, and is said; a bare date lasts through that day (UTC)", () => {
    expect(untilMs("2026-12-07")).toBe(Date.parse("2026-12-08T00:00:00Z"));
    const entries = [
      { test: "a", reason: "r1", until: "2026-12-07" },
      { test: "b", reason: "r2", until: "2026-12-06" },
      { test: "c", reason: "r3", until: "2026-12-07T11:59:59Z" },
    ];
    const q = quarantineOf(entries, off, undefined, NOW);
    expect(q.reasonFor("a")).toBe("r1 (until 2026-12-07)");
    expect(q.reasonFor("b")).toBeUndefined();
    expect(q.reasonFor("c")).toBeUndefined();
    expect(q.expired.map((e) => e.test)).toEqual(["b", "c"]);
  });
});

describe("the automatic policy", () => {
  it("flaky in more than threshold of the last window runs: quarantined, and the reason says how often", () => {
    const h = history({ x: ["p", "k", "p", "k", "k", "p"], y: ["p", "k", "k", "p"], z: ["f", "f", "f", "f"] });
    expect([...autoQuarantine(h, auto)]).toEqual([["x", "flaky in 3 of the last 6 runs"]]);
    expect(quarantineOf([], auto, h, NOW).reasonFor("x")).toBe("flaky in 3 of the last 6 runs");
    // off: the history is not looked at.
    expect(quarantineOf([], off, h, NOW).reasonFor("x")).toBeUndefined();
  });

  it("only the window counts", () => {
    const col = ["p", "p", "p", "p", "k", "k", "k", "k"];
    expect(autoQuarantine(history({ x: col }), { ...auto, window: 4 }).size).toBe(0);
    expect(autoQuarantine(history({ x: col }), { ...auto, window: 8, release: 0 }).get("x")).toBe("flaky in 4 of the last 8 runs");
  });

  it("released after `release` clean runs in a row; a quarantined run counts by what it did", () => {
    const h = history({ x: ["qp", "qp", "qk", "k", "k", "k"] });
    expect(autoQuarantine(h, { ...auto, release: 3 }).get("x")).toBe("flaky in 4 of the last 6 runs");
    expect(autoQuarantine(h, { ...auto, release: 2 }).size).toBe(0);
    expect(autoQuarantine(history({ x: ["qp", "qp", "qp", "k", "k", "k"] }), { ...auto, release: 3 }).size).toBe(0);
    // Skipped runs neither break nor make the streak.
    expect(autoQuarantine(history({ x: ["qp", "s", "qp", "qp", "k", "k", "k"] }), { ...auto, release: 3 }).size).toBe(0);
  });

  it("an explicit entry's reason wins over the policy's", () => {
    const h = history({ x: ["k", "k", "k"] });
    expect(quarantineOf([{ test: "x", reason: "JIRA-9" }], auto, h, NOW).reasonFor("x")).toBe("JIRA-9");
  });
});
