// Ctrl-C at several moments of a real run (issue 19, item 7): the CLI leaves within 2 s with
// exit 130, and 10 s after it left nothing of the run is in the namespace (no Job, Pod,
// ConfigMap). A second Ctrl-C leaves at once, without cleaning up.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUN_ID_LABEL } from "../../src/names.js";
import { ADMIN_KUBECONFIG, KUBECTL, ROOT, requireCluster, startCli, waitForOutput } from "./support/cli.js";

const CONFIG = join(ROOT, "test/integration/fixtures/faults.yaml");
const work = mkdtempSync(join(tmpdir(), "incluster-it-interrupt-"));
const ns = `incluster-int-${Date.now().toString(36)}`;
const kubectl = (...args: string[]) => execFileSync(KUBECTL, ["--kubeconfig", ADMIN_KUBECONFIG, ...args], { encoding: "utf8" });

beforeAll(() => {
  requireCluster();
  kubectl("create", "namespace", ns);
});
afterAll(() => {
  kubectl("delete", "namespace", ns, "--wait=false");
  rmSync(work, { recursive: true, force: true });
});

/** The run's objects still in the namespace (being deleted counts). */
function left(runId: string): string[] {
  return kubectl("-n", ns, "get", "jobs,pods,configmaps", "-l", `${RUN_ID_LABEL}=${runId}`, "-o", "name").split("\n").filter(Boolean);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Ctrl-C on a real run", () => {
  // "mid-test": once the test container runs (its sleep has begun).
  for (const moment of [500, 1000, 2000, "mid-test"] as const) {
    it(`at ${moment === "mid-test" ? "mid-test" : `${moment} ms`}: exit 130 within 2 s; nothing of the run left 10 s later`, async () => {
      const c = startCli(["-n", ns, "-c", CONFIG, "run", "sleepy", "-q", "--report-dir", join(work, String(moment))]);
      if (moment === "mid-test") await waitForOutput(c.stderrSoFar, /\[sleepy\] running:/, 90_000);
      else await sleep(moment);
      const t0 = Date.now();
      c.child.kill("SIGINT");
      const r = await c.done;
      const ms = Date.now() - t0;
      const runId = /run ([a-z0-9]{6}):/.exec(r.stderr)?.[1];
      await sleep(10_000);
      const remaining = runId ? left(runId) : [];
      console.log(`[interrupt] Ctrl-C at ${moment}: exit ${r.code} after ${ms} ms; run ${runId ?? "(none yet)"}; objects left 10 s later: ${remaining.length ? remaining.join(", ") : "none"}`);
      expect(r.code, r.stderr.slice(-2000)).toBe(130);
      expect(ms).toBeLessThan(2000);
      expect(remaining).toEqual([]);
    });
  }

  it("a second Ctrl-C leaves at once, without cleaning up", async () => {
    const c = startCli(["-n", ns, "-c", CONFIG, "run", "sleepy", "-q", "--report-dir", join(work, "twice")]);
    await waitForOutput(c.stderrSoFar, /\[sleepy\] running:/, 90_000);
    c.child.kill("SIGINT");
    await waitForOutput(c.stderrSoFar, /cleaning up \(press Ctrl-C again/, 5_000);
    const t0 = Date.now();
    c.child.kill("SIGINT");
    await c.done;
    const ms = Date.now() - t0;
    console.log(`[interrupt] second Ctrl-C: left after ${ms} ms (signal ${c.child.signalCode ?? "none"}, exit ${c.child.exitCode})`);
    expect(ms).toBeLessThan(500);
    // `incluster clean` removes whatever the first Ctrl-C had not deleted yet.
    const runId = /run ([a-z0-9]{6}):/.exec(c.stderrSoFar())?.[1] ?? "";
    execFileSync(process.execPath, [join(ROOT, "bin/incluster.js"), "-n", ns, "-c", CONFIG, "clean", "--run", runId], { env: { ...process.env, KUBECONFIG: ADMIN_KUBECONFIG }, stdio: "ignore" });
  });
});
