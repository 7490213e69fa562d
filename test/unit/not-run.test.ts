import { describe, expect, it } from "vitest";
import { convert } from "xmlbuilder2";
import { notRunResult } from "../../src/report/not-run.js";
import { toJunit } from "../../src/report/junit.js";

describe("notRunResult", () => {
  const doc = notRunResult({
    runId: "abc123",
    context: "ctx",
    namespace: "ns",
    suites: [{ name: "a", image: "r/a:1" }, { name: "b", image: "r/b:1" }],
    class: "buildFailed",
    reason: "BUILD_FAILED",
    message: 'podman build failed (exit 125): Unknown instruction: "FORM"',
    hint: "fix the Dockerfile",
    at: new Date("2026-11-24T00:00:00Z"),
  });
  it("gives every suite a could-not-run verdict with the stage's class, exit 3", () => {
    expect(doc.exitCode).toBe(3);
    expect(doc.suites.map((s) => [s.suite, s.verdict, s.class, s.exitCode])).toEqual([
      ["a", "couldNotRun", "buildFailed", 3],
      ["b", "couldNotRun", "buildFailed", 3],
    ]);
  });
  it("renders as JUnit errors, one per suite", () => {
    const xml = convert(toJunit(doc), { format: "object" }) as { testsuites: { "@tests": string; "@errors": string } };
    expect(xml.testsuites["@tests"]).toBe("2");
    expect(xml.testsuites["@errors"]).toBe("2");
  });
});
