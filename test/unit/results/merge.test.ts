import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { byCodePoint, failedIds, mergeAttempts, mergeShards, splitForShard, testCounts } from "../../../src/results/merge.js";
import type { TestCase, TestStatus } from "../../../src/results/model.js";

const tc = (id: string, status: TestStatus, message?: string): TestCase => ({ id, name: id, classname: "", status, durationMs: 10, ...(message ? { message, text: `trace of ${message}` } : {}) });

describe("mergeAttempts", () => {
  const merged = mergeAttempts([
    [tc("a", "passed"), tc("b", "failed", "b1"), tc("c", "failed", "c1"), tc("d", "skipped"), tc("e", "error", "e1")],
    [tc("b", "passed"), tc("c", "failed", "c2"), tc("e", "error", "e2")],
    [tc("c", "failed", "c3"), tc("e", "failed", "e3")],
  ]);
  const byId = Object.fromEntries(merged.map((t) => [t.id, t]));

  it("failed then passed is flaky, each failure kept as a rerun", () => {
    expect(byId.b).toMatchObject({ status: "flaky", attempt: 2, reruns: [{ attempt: 1, status: "failed", message: "b1", text: "trace of b1" }] });
  });
  it("failing in every attempt stays failed: the first failure is the result, the later ones reruns", () => {
    expect(byId.c).toMatchObject({ status: "failed", attempt: 1, message: "c1", reruns: [{ attempt: 2, message: "c2" }, { attempt: 3, message: "c3" }] });
    expect(byId.e).toMatchObject({ status: "error", message: "e1", reruns: [{ attempt: 2, status: "error" }, { attempt: 3, status: "failed" }] });
  });
  it("ids only in attempt 1 keep attempt 1's result, in attempt 1's order", () => {
    expect(merged.map((t) => [t.id, t.status, t.attempt])).toEqual([
      ["a", "passed", 1],
      ["b", "flaky", 2],
      ["c", "failed", 1],
      ["d", "skipped", 1],
      ["e", "error", 1],
    ]);
    expect(byId.a!.reruns).toBeUndefined();
  });
  it("passed then failed (a whole-suite rerun) is flaky too, as Playwright counts it; a skipped rerun does not hide a failure", () => {
    const m = mergeAttempts([[tc("x", "passed"), tc("y", "failed", "y1")], [tc("x", "failed", "x2"), tc("y", "skipped")]]);
    expect(m.map((t) => [t.id, t.status, t.reruns?.map((r) => r.attempt)])).toEqual([
      ["x", "flaky", [2]],
      ["y", "failed", undefined],
    ]);
  });
  it("one attempt is that attempt's tests", () => {
    expect(mergeAttempts([[tc("a", "passed"), tc("b", "failed", "m")]]).map((t) => [t.id, t.status, t.message])).toEqual([
      ["a", "passed", undefined],
      ["b", "failed", "m"],
    ]);
  });
});

describe("failedIds", () => {
  it("failed and errored ids, once, in order; flaky and skipped are not rerun", () => {
    expect(failedIds([tc("a", "failed"), tc("b", "passed"), tc("c", "error"), tc("a", "failed"), { id: "f", status: "flaky" }, tc("s", "skipped")])).toEqual(["a", "c"]);
  });
});

describe("mergeShards", () => {
  it("one list by shard index, each test tagged, duplicates named", () => {
    const r = mergeShards([
      { index: 1, tests: [tc("b", "passed"), tc("dup", "failed")] },
      { index: 0, tests: [tc("a", "passed"), tc("dup", "passed")] },
    ]);
    expect(r.tests.map((t) => [t.id, t.shard, t.status])).toEqual([
      ["a", 0, "passed"],
      ["dup", 0, "passed"],
      ["b", 1, "passed"],
      ["dup", 1, "failed"],
    ]);
    expect(r.duplicates).toEqual([{ id: "dup", shards: [0, 1] }]);
  });
});

describe("splitForShard", () => {
  const ids = Array.from({ length: 40 }, (_, i) => `tests/test_${String(i).padStart(2, "0")}.py::test_it`);
  it("sorts, then deals round-robin: 40 ids over 4 shards, 10 each", () => {
    const shards = [0, 1, 2, 3].map((i) => splitForShard([...ids].reverse(), i, 4));
    expect(shards.map((s) => s.length)).toEqual([10, 10, 10, 10]);
    expect(shards[1]!.slice(0, 3)).toEqual(["tests/test_01.py::test_it", "tests/test_05.py::test_it", "tests/test_09.py::test_it"]);
  });
  it("every id exactly once over all shards, whatever the order and duplicates (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme" }), { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), (list, count) => {
        const parts = Array.from({ length: count }, (_, i) => splitForShard(list, i, count));
        const all = parts.flat();
        expect(all.length).toBe(new Set(list).size);
        expect(new Set(all)).toEqual(new Set(list));
        expect(Math.max(...parts.map((p) => p.length)) - Math.min(...parts.map((p) => p.length))).toBeLessThanOrEqual(1);
        expect(splitForShard([...list].reverse(), 0, count)).toEqual(parts[0]);
      }),
    );
  });
  it("orders by code point as Python's sorted() does (U+FF5E before U+1F600, unlike UTF-16 order)", () => {
    expect(["t::\u{1F600}", "t::\uFF5E"].sort(byCodePoint)).toEqual(["t::\uFF5E", "t::\u{1F600}"]);
    expect(["t::\u{1F600}", "t::\uFF5E"].sort()).toEqual(["t::\u{1F600}", "t::\uFF5E"]);
  });
  it.each([[0, 0], [2, 2], [-1, 2], [0.5, 2], [0, 1.5]])("index %d of %d is a RangeError", (index, count) => {
    expect(() => splitForShard(["a"], index, count)).toThrow(RangeError);
  });
});

describe("testCounts", () => {
  it("counts each status once; flaky is not passed", () => {
    const flaky = { id: "e", status: "flaky" as const };
    expect(testCounts([tc("a", "passed"), tc("b", "failed"), tc("c", "error"), tc("d", "skipped"), flaky, tc("f", "passed")])).toEqual({
      tests: 6,
      passed: 2,
      failed: 1,
      errors: 1,
      skipped: 1,
      flaky: 1,
    });
  });
});
