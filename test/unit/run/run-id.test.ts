import { describe, expect, it } from "vitest";
import { RUN_ID_PATTERN, newRunId } from "../../../src/run/run-id.js";

describe("run ids", () => {
  it("newRunId makes what RUN_ID_PATTERN (used by logs) recognises, and suite names are not taken for one", () => {
    for (let i = 0; i < 50; i++) expect(newRunId()).toMatch(RUN_ID_PATTERN);
    expect(RUN_ID_PATTERN.test("services")).toBe(false);
  });
});
