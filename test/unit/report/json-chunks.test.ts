// result.json in chunks: the same text as JSON.stringify(value, null, 2), for any JSON value and for
// what JSON.stringify leaves out or rewrites (undefined, functions, toJSON, holes).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonChunks } from "../../../src/report/json.js";
import { sampleResult } from "./sample-result.js";

const whole = (v: unknown, size?: number) => [...jsonChunks(v, size)].join("");
const runs = Number(process.env.FUZZ_RUNS ?? 300);

describe("jsonChunks", () => {
  it("any JSON value: the same text as JSON.stringify(v, null, 2), whatever the chunk size", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 200 }), (v, size) => {
        expect(whole(v, size)).toBe(JSON.stringify(v, null, 2));
      }),
      { numRuns: runs },
    );
  });

  it("values JSON.stringify leaves out or rewrites: undefined, functions, symbols, holes, toJSON, -0, NaN", () => {
    const odd = fc.oneof(fc.constant(undefined), fc.constant(() => 1), fc.constant(Symbol("s")), fc.constant(new Date(0)), fc.constant(-0), fc.constant(Number.NaN));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: "small" }, fc.jsonValue({ maxDepth: 1 }), odd, fc.array(tie("tree"), { maxLength: 4 }), fc.dictionary(fc.string(), tie("tree"), { maxKeys: 4 })),
    }));
    fc.assert(
      fc.property(fc.oneof(fc.array(tree), fc.dictionary(fc.string(), tree)), (v) => {
        expect(whole(v, 16)).toBe(JSON.stringify(v, null, 2));
      }),
      { numRuns: runs },
    );
    // eslint-disable-next-line no-sparse-arrays
    expect(whole([1, , 3])).toBe(JSON.stringify([1, , 3], null, 2));
  });

  it("a run's result: the text of result.json, in chunks of about the size asked", () => {
    // Many suites: a tree under WHOLE_BELOW_NODES objects is one part, stringified whole.
    const big = { ...sampleResult, suites: Array.from({ length: 100 }, () => sampleResult.suites).flat() };
    const text = `${JSON.stringify(big, null, 2)}`;
    const chunks = [...jsonChunks(big, 1000)];
    expect(chunks.join("")).toBe(text);
    expect(chunks.length).toBeGreaterThan(100);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(text.length / 50);
    expect(chunks.slice(0, -1).every((c) => c.length >= 1000)).toBe(true);
  });
});
