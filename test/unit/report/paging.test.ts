// How report.html splits long lists: the first few and the rest, and pages of a collapsed list.
import { describe, expect, it } from "vitest";
import { firstAndRest, pages } from "../../../src/report/paging.js";

describe("firstAndRest", () => {
  it("the first n, and the rest in order", () => {
    expect(firstAndRest([1, 2, 3, 4, 5], 2)).toEqual({ first: [1, 2], rest: [3, 4, 5] });
  });

  it("no rest when all fit, or exactly fit", () => {
    expect(firstAndRest([1, 2], 5)).toEqual({ first: [1, 2], rest: [] });
    expect(firstAndRest([1, 2], 2)).toEqual({ first: [1, 2], rest: [] });
    expect(firstAndRest([], 3)).toEqual({ first: [], rest: [] });
  });

  it("zero, negative or fractional counts: a whole number of items, never fewer than none", () => {
    expect(firstAndRest([1, 2, 3], 0)).toEqual({ first: [], rest: [1, 2, 3] });
    expect(firstAndRest([1, 2, 3], -1)).toEqual({ first: [], rest: [1, 2, 3] });
    expect(firstAndRest([1, 2, 3], 1.7)).toEqual({ first: [1], rest: [2, 3] });
  });
});

describe("pages", () => {
  it("consecutive pages of at most size, the last one short; 1-based labels, 0-based bounds", () => {
    expect(pages(2500, 1000)).toEqual([
      { from: 1, to: 1000, start: 0, end: 1000 },
      { from: 1001, to: 2000, start: 1000, end: 2000 },
      { from: 2001, to: 2500, start: 2000, end: 2500 },
    ]);
  });

  it("one page when everything fits, exactly or not; none for nothing", () => {
    expect(pages(1000, 1000)).toEqual([{ from: 1, to: 1000, start: 0, end: 1000 }]);
    expect(pages(3, 1000)).toEqual([{ from: 1, to: 3, start: 0, end: 3 }]);
    expect(pages(0, 1000)).toEqual([]);
  });

  it("covers every item once, in order, for any total and size", () => {
    for (const [total, size] of [[1, 1], [7, 3], [100, 7], [10_000, 1000], [10_001, 1000]] as const) {
      const all = pages(total, size);
      expect(all.flatMap((p) => Array.from({ length: p.end - p.start }, (_, i) => p.start + i))).toEqual(Array.from({ length: total }, (_, i) => i));
      expect(all.every((p) => p.end - p.start <= size && p.from === p.start + 1 && p.to === p.end)).toBe(true);
    }
  });

  it("a page size that is not a whole number ≥ 1 is an error", () => {
    expect(() => pages(10, 0)).toThrow(RangeError);
    expect(() => pages(10, 2.5)).toThrow(RangeError);
  });
});
