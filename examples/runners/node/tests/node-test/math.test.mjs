import { describe, it } from "node:test";
import assert from "node:assert/strict";

describe("math", () => {
  it("adds", () => assert.equal(1 + 1, 2));
  it("multiplies", () => assert.equal(6 * 7, 42));
});
