// doctor's lines: a check it could not make is `?`, never ok (issue 19).
import { describe, expect, it } from "vitest";
import { checkLine, checksSummary, requiredFailures } from "../../../src/cli/doctor-checks.js";
import { uncheckedCheck } from "../../../src/run/preflight.js";

const plain = { color: false };

describe("doctor's lines", () => {
  it("ok, FAIL with its fix, and ? for a check that could not be made", () => {
    expect(checkLine(plain, { name: "namespace ns exists", ok: true, detail: "yes" })).toBe("ok   namespace ns exists: yes");
    expect(checkLine(plain, { name: "API server", ok: false, detail: "x unreachable", fix: "check --context" })).toBe("FAIL API server: x unreachable\n       fix: check --context");
    expect(checkLine(plain, { name: "may create configmaps (run history)", ok: false, optional: true, detail: "forbidden", fix: "grant" })).toBe(
      "warn may create configmaps (run history): forbidden\n       fix: grant",
    );
    expect(checkLine(plain, uncheckedCheck("Services named in env", "forbidden"))).toBe("?    Services named in env: could not check (forbidden)");
  });

  it("the summary counts the checks that could not be made apart", () => {
    const ok = { name: "a", ok: true, detail: "yes" };
    const failed = { name: "b", ok: false, detail: "no" };
    const unchecked = uncheckedCheck("c", "no answer");
    expect(checksSummary([ok, ok])).toBe("all 2 checks passed");
    expect(checksSummary([ok, unchecked])).toBe("1 of 2 checks passed, 1 could not be checked");
    expect(checksSummary([ok, failed, unchecked])).toBe("1 of 3 checks failed, 1 could not be checked");
    // A forbidden run-history verb is optional: a warning, never doctor's exit 3.
    const optional = { ...failed, optional: true };
    expect(checksSummary([ok, optional, optional])).toBe("1 of 3 checks passed, 2 optional not met");
    expect(checksSummary([ok, failed, optional])).toBe("1 of 3 checks failed, 1 optional not met");
    expect(requiredFailures([ok, optional, unchecked])).toBe(0);
    expect(requiredFailures([ok, failed, optional])).toBe(1);
  });
});
