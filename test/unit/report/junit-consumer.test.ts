// The generated JUnit read by an independent consumer: junitparser from PyPI (its xunit2 module
// knows Surefire's flakyFailure/rerunFailure), installed into a venv under a temp dir.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { toJunit } from "../../../src/report/junit.js";
import { sampleResult } from "./sample-result.js";

const JUNITPARSER = "junitparser==5.0.3";
const dir = mkdtempSync(join(tmpdir(), "incluster-junitparser-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Read {
  suites: { name: string; tests: number; failures: number; errors: number; skipped: number; flaky: number; declared: number[] }[];
  failed: [string, string, string][];
  reruns: number;
  flaky: [string, string, string[]][];
  total: Record<"tests" | "failures" | "errors" | "skipped" | "flaky", number>;
}

describe(`-o junit read by ${JUNITPARSER}`, () => {
  it("counts tests, failures, errors, skipped and flaky as we declare them; failed ids with messages", () => {
    execFileSync("python3", ["-m", "venv", join(dir, "venv")], { stdio: "pipe" });
    const python = join(dir, "venv", "bin", "python");
    execFileSync(python, ["-m", "pip", "install", "-q", "--disable-pip-version-check", JUNITPARSER], { stdio: "pipe", timeout: 120_000 });
    const file = join(dir, "junit.xml");
    writeFileSync(file, toJunit(sampleResult));
    const stdout = execFileSync(python, [join(import.meta.dirname, "consumer", "read_junit.py"), file], { encoding: "utf8" });
    const read = JSON.parse(stdout) as Read;
    console.log(`junitparser: tests=${read.total.tests} failures=${read.total.failures} errors=${read.total.errors} skipped=${read.total.skipped} flaky=${read.total.flaky} reruns=${read.reruns}`);
    for (const [classname, name, message] of read.failed) console.log(`  failed ${classname} ${name}: ${message}`);
    for (const [classname, name, messages] of read.flaky) console.log(`  flaky  ${classname} ${name}: ${messages.join("; ")}`);

    expect(read.total).toEqual({ tests: 13, failures: 3, errors: 2, skipped: 2, flaky: 1 });
    for (const s of read.suites) expect(s.declared, s.name).toEqual([s.tests, s.failures, s.errors, s.skipped]);
    expect(read.reruns).toBe(2);
    expect(read.flaky).toEqual([["tests.e2e.test_api", "test_eventually", ["TimeoutError: service not ready after 2s"]]]);
    expect(read.failed).toContainEqual(["tests.e2e.test_api.TestUsers", "test_create[guest]", "assert 403 == 201"]);
    expect(read.failed).toContainEqual(["incluster.load", "load", "Job was active longer than specified deadline"]);
  }, 180_000);
});
