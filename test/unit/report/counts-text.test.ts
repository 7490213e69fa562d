// The test counts in the summary: singular and plural said right.
import { describe, expect, it } from "vitest";
import { countsText } from "../../../src/report/human.js";

describe("countsText", () => {
  it("says 1 test, 2 tests, 1 error, 2 errors", () => {
    expect(countsText({ tests: 1, passed: 1, failed: 0, errors: 0, skipped: 0, flaky: 0 })).toBe("1 passed, 0 failed (1 test)");
    expect(countsText({ tests: 4, passed: 1, failed: 0, errors: 2, skipped: 0, flaky: 1 })).toBe("1 passed, 0 failed, 2 errors, 1 flaky (4 tests)");
  });
});
