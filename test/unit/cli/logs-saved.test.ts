// `incluster logs <run-id>` of a saved run (issue 19): its logs, or, for a run that created no
// Job, an error that says what the run was and where its report is (exit 3), never silence and 0.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { notRunResult } from "../../../src/report/not-run.js";
import { runCli } from "../support/run-cli.js";

function savedRun(files: Record<string, string>): string {
  const cwd = mkdtempSync(join(tmpdir(), "incluster-logs-"));
  const dir = join(cwd, ".incluster", "runs", "y82c4t");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return cwd;
}

const notRun = notRunResult({ runId: "y82c4t", context: "x", namespace: "default", suites: [{ name: "e2e", image: "i" }], class: "unreachable", reason: "PreflightFailed", message: "API server: https://127.0.0.1:1 unreachable (connect ECONNREFUSED 127.0.0.1:1)", at: new Date(0) });

describe("incluster logs <run-id> of a saved run", () => {
  it("prints the saved logs", async () => {
    const cwd = savedRun({ "e2e/test-runner.log": "hello\n", "result.json": "{}" });
    const r = await runCli(["logs", "y82c4t"], { cwd });
    expect(r).toMatchObject({ code: 0, stdout: "hello\n" });
    expect(r.stderr).toBe("==> e2e/test-runner (.incluster/runs/y82c4t/e2e/test-runner.log) <==\n");
  });

  it("a run that created no Job: says so, why, and where the report is; exit 3", async () => {
    const cwd = savedRun({ "run.json": "{}", "result.json": JSON.stringify(notRun) });
    const r = await runCli(["logs", "y82c4t"], { cwd });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      [
        "error: run y82c4t has no logs: it created no Job",
        "  e2e: could not run (unreachable): API server: https://127.0.0.1:1 unreachable (connect ECONNREFUSED 127.0.0.1:1) [NO_LOGS]",
        "hint: the run's report is .incluster/runs/y82c4t/result.json; `incluster doctor` checks what a run needs",
        "",
      ].join("\n"),
    );
  });

  it("a run stopped before it wrote its result: says so; exit 3", async () => {
    const cwd = savedRun({ "run.json": "{}" });
    const r = await runCli(["logs", "y82c4t"], { cwd });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("error: run y82c4t saved no logs and no result");
  });
});
