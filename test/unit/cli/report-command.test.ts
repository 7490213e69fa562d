// `incluster report [run-id]` through main(): rebuilds report.html from a saved result.json and
// prints its path; no such run, or no run id, is a usage error (exit 2).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";
import { sampleResult } from "../report/sample-result.js";

function savedRuns(): string {
  const cwd = mkdtempSync(join(tmpdir(), "incluster-report-"));
  for (const id of ["k3v9q0", "k3v9q1"]) {
    mkdirSync(join(cwd, ".incluster", "runs", id), { recursive: true });
    writeFileSync(join(cwd, ".incluster", "runs", id, "result.json"), JSON.stringify({ ...sampleResult, runId: id, reportDir: `.incluster/runs/${id}` }));
  }
  return cwd;
}

describe("incluster report", () => {
  it("a run id: writes <report-dir>/<id>/report.html and prints its path", async () => {
    const cwd = savedRuns();
    const r = await runCli(["report", "k3v9q0"], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(".incluster/runs/k3v9q0/report.html\n");
    expect(readFileSync(join(cwd, ".incluster/runs/k3v9q0/report.html"), "utf8")).toContain("<title>incluster run k3v9q0: 1 passed, 2 failed, 1 timed out</title>");
  });
  it("no run id: the newest saved run; --report-dir naming one run's folder: that run", async () => {
    const cwd = savedRuns();
    expect((await runCli(["report"], { cwd })).stdout).toMatch(/^\.incluster\/runs\/k3v9q[01]\/report\.html\n$/);
    expect((await runCli(["report", "--report-dir", ".incluster/runs/k3v9q1"], { cwd })).stdout).toBe(".incluster/runs/k3v9q1/report.html\n");
    expect(existsSync(join(cwd, ".incluster/runs/k3v9q1/report.html"))).toBe(true);
  });
  it("an unknown run, a malformed id, no runs at all: exit 2 with what to do", async () => {
    const cwd = savedRuns();
    const unknown = await runCli(["report", "zzzzzz"], { cwd });
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining("no saved run zzzzzz")]);
    expect((await runCli(["report", "NOT-AN-ID"], { cwd })).stderr).toContain('expected a run id like k3x9q2');
    const empty = await runCli(["report"], { cwd: mkdtempSync(join(tmpdir(), "incluster-report-")) });
    expect([empty.code, empty.stderr]).toEqual([2, expect.stringContaining("no saved run in")]);
  });
});
