import { describe, expect, it } from "vitest";
import { SUITE_NAME_MAX, suiteNameProblem } from "../../../src/config/names.js";
import { suiteNameFor } from "../../../src/config/starter.js";
import { jobName } from "../../../src/names.js";

describe("suite names", () => {
  it("allows 47 characters: 63 - test- - -e2e - -xxxxxx", () => {
    expect(SUITE_NAME_MAX).toBe(47);
    const longest = "a".repeat(47);
    expect(suiteNameProblem(longest)).toBeUndefined();
    expect(jobName(longest, "abc123")).toHaveLength(63);
  });

  it("says which limit and why for 48 characters", () => {
    const p = suiteNameProblem("a".repeat(48));
    expect(p).toContain("is 48 characters; at most 47 fit");
    expect(p).toContain("DNS-1123 label of at most 63 characters");
  });

  it("suggests a valid name for bad characters", () => {
    const p = suiteNameProblem("My_Suite");
    expect(p).toContain("lowercase letters, digits and '-'");
    expect(p).toContain('try "my-suite"');
  });

  it.each(["-smoke", "smoke-", "smoke.test", ""])("rejects %j", (name) => {
    expect(suiteNameProblem(name)).toBeDefined();
  });
});

describe("init's suite names", () => {
  it("derives valid, unique names from folders", () => {
    expect(suiteNameFor("tests/e2e/Orders_API", new Set())).toBe("orders-api");
    expect(suiteNameFor("tests/__", new Set())).toBe("smoke");
    expect(suiteNameFor(`tests/${"x".repeat(80)}`, new Set())).toHaveLength(44);
  });

  it("never stutters as test-e2e-e2e: an e2e folder takes the repository's name, else smoke (issue 19)", () => {
    expect(suiteNameFor("tests/e2e", new Set(), "shop")).toBe("shop");
    expect(suiteNameFor("e2e", new Set(), "Shop_Web")).toBe("shop-web");
    expect(suiteNameFor("tests/api-e2e", new Set(), "shop")).toBe("api");
    expect(suiteNameFor("tests/e2e", new Set(), "shop-e2e")).toBe("shop");
    expect(suiteNameFor("tests/e2e", new Set(), "")).toBe("smoke");
    expect(suiteNameFor("tests/e2e", new Set(), "e2e")).toBe("smoke");
    expect(suiteNameFor("e2e", new Set(["shop"]), "shop")).toBe("shop-2");
  });
});
