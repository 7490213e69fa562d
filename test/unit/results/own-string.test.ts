// Strings the test cases keep are their own copies (not views of a JUnit file's text); repeated
// values are kept once.
import { describe, expect, it } from "vitest";
import { ownString, sharedStrings } from "../../../src/results/own-string.js";

describe("ownString", () => {
  it("the same characters, short or long, ASCII or not", () => {
    const text = `<testcase name="${"x".repeat(40)}">é ✓ 𝔘 \u0000</testcase>`;
    for (const s of ["", "a", "twelve chars", text, text.slice(10, 60), text.slice(-20)]) expect(ownString(s)).toBe(s);
  });
});

describe("sharedStrings", () => {
  it("one kept copy per distinct value: equal values come back as the first one kept", () => {
    const keep = sharedStrings();
    const file = "tests/e2e/checkout/api/test_orders.py";
    const a = keep(`${file}`);
    expect(keep(file.slice(0))).toBe(a);
    expect(keep("tests/e2e/other.py")).toBe("tests/e2e/other.py");
    expect(keep("")).toBe("");
  });
});
