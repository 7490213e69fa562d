// Issue 22 (parts 1, 2 and 6) on the project's cluster: the run history in ConfigMaps of the
// suites' namespace. Five runs of a suite with a first-attempt-only test (retries: 1) and a real
// failure, then `incluster history -o json`: counts, flake rate, last status; the fifth run's
// summary calls the failure "still failing (5 of 5 runs)" and the flaky test "known flaky (5 of 5
// runs)". `clean --all` leaves the history. Eight concurrent writers of one suite's history
// against the real API server lose no record. The size of a history after 50 runs of a
// 1,000-test suite. A user without configmaps permissions: one warning, the same exit code.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { clusterHistoryStore } from "../../src/history/cluster-store.js";
import type { HistoryRun } from "../../src/history/model.js";
import { HISTORY_KEY } from "../../src/history/store.js";
import type { ClusterPort } from "../../src/kube/port.js";
import { historyName } from "../../src/names.js";
import { realSetTimer } from "../../src/timers.js";
import { ADMIN_KUBECONFIG, DEMO, KUBECTL, admin, cli, requireCluster } from "./support/cli.js";

const work = mkdtempSync(join(tmpdir(), "incluster-it-history-"));
const ns = `incluster-hist-${Date.now().toString(36)}`;
const kubectl = (...args: string[]) => execFileSync(KUBECTL, ["--kubeconfig", ADMIN_KUBECONFIG, ...args], { encoding: "utf8" });
const RUNS = 5;
const FLAKY = "tests/e2e/test_mixed.py::test_flaky_first_attempt";
const FAILS = "tests/e2e/test_mixed.py::test_fails_on_purpose";
const PASSES = "tests/e2e/test_mixed.py::test_passes";

const config = join(work, "incluster.yaml");
beforeAll(() => {
  requireCluster();
  kubectl("create", "namespace", ns);
  kubectl("label", "namespace", ns, "pod-security.kubernetes.io/enforce=restricted", "pod-security.kubernetes.io/enforce-version=latest");
  const demo = parse(readFileSync(DEMO, "utf8")) as Record<string, unknown>;
  demo.namespace = ns;
  demo.suites = { mixed: { test: "tests/e2e/test_mixed.py", retries: 1 } };
  writeFileSync(config, stringify(demo));
});
afterAll(() => {
  kubectl("delete", "namespace", ns, "--wait=false");
  rmSync(work, { recursive: true, force: true });
});

interface HistoryJson {
  suites: {
    suite: string;
    runs: number;
    tests: { id: string; runs: number; passed: number; failed: number; flaky: number; flakeRate: number; lastStatus: string; quarantined: boolean }[];
  }[];
}

/** The summary's line for a test: "    FAILED <id> — still failing (…) — <message>" (not pytest's own "FAILED <id> - …" quoted in the message). */
const lineOf = (stderr: string, id: string) =>
  stderr.split("\n").find((l) => /^ {4}(FAILED|FLAKY) +/.test(l) && (l.includes(`${id} — `) || l.trimEnd().endsWith(id))) ?? "";

describe("five runs, then incluster history", () => {
  it(`${RUNS} runs of a suite with a flaky test and a real failure: history -o json and the summary's labels`, async () => {
    let last = { code: -1 as number | null, stderr: "" };
    for (let i = 1; i <= RUNS; i++) {
      const t0 = Date.now();
      const r = await cli(["-c", config, "run", "mixed", "-q", "--report-dir", join(work, `run-${i}`)]);
      console.log(`[history] run ${i}: exit ${r.code} in ${Date.now() - t0} ms; ${lineOf(r.stderr, FAILS).trim()} | ${lineOf(r.stderr, FLAKY).trim()}`);
      expect(r.code, r.stderr.slice(-3000)).toBe(1);
      if (i === 1) expect(lineOf(r.stderr, FAILS)).not.toMatch(/still failing|new failure/);
      else expect(lineOf(r.stderr, FAILS)).toContain(`still failing (${i} of ${i} runs)`);
      last = r;
    }
    expect(lineOf(last.stderr, FAILS)).toContain(`still failing (${RUNS} of ${RUNS} runs)`);
    expect(lineOf(last.stderr, FLAKY)).toContain(`known flaky (${RUNS} of ${RUNS} runs)`);
    expect(last.stderr).not.toMatch(/warning: history/);

    const h = await cli(["-c", config, "history", "-o", "json"]);
    console.log(`[history] incluster history -o json (exit ${h.code}): ${h.stdout.trim()}`);
    expect(h.code, h.stderr).toBe(0);
    const doc = JSON.parse(h.stdout) as HistoryJson;
    expect(doc.suites.map((s) => [s.suite, s.runs])).toEqual([["mixed", RUNS]]);
    const byId = Object.fromEntries(doc.suites[0]!.tests.map((t) => [t.id, t]));
    expect(byId[PASSES]).toMatchObject({ runs: RUNS, passed: RUNS, failed: 0, flaky: 0, flakeRate: 0, lastStatus: "passed", quarantined: false });
    expect(byId[FAILS]).toMatchObject({ runs: RUNS, passed: 0, failed: RUNS, flaky: 0, flakeRate: 0, lastStatus: "failed", quarantined: false });
    expect(byId[FLAKY]).toMatchObject({ runs: RUNS, passed: 0, failed: 0, flaky: RUNS, flakeRate: 1, lastStatus: "flaky", quarantined: false });
    const table = await cli(["-c", config, "history", "mixed", "--flaky"]);
    console.log(`[history] incluster history mixed --flaky:\n${table.stdout}`);
    expect(table.stdout.split("\n")[2]).toContain(FLAKY);

    // clean deletes the runs' objects, never the history (it has no run id).
    const c = await cli(["-c", config, "clean", "--all"]);
    expect(c.code, c.stderr).toBe(0);
    const cms = kubectl("-n", ns, "get", "configmaps", "-l", "app.kubernetes.io/managed-by=incluster", "-o", "name");
    console.log(`[history] after clean --all: ${cms.trim()}`);
    expect(cms).toContain(`configmap/${historyName("mixed")}`);
  });
});

function fakeRun(i: number, tests: number): HistoryRun {
  return {
    runId: `r${String(i).padStart(4, "0")}`,
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    verdict: i % 7 === 0 ? "failed" : "passed",
    attempts: 1,
    durationMs: 60_000 + i,
    tests: Array.from({ length: tests }, (_, k) => ({
      id: `tests/e2e/test_module_${Math.floor(k / 50)}.py::TestClass::test_case_number_${k}[param-${k % 7}]`,
      status: (k + i) % 97 === 0 ? ("flaky" as const) : (k + i) % 211 === 0 ? ("failed" as const) : ("passed" as const),
      durationMs: 100 + ((k * 37 + i * 11) % 5000),
    })),
  };
}

/** The port with its ConfigMap writes counted, 409s apart. */
function counting(port: ClusterPort): { port: ClusterPort; writes: () => number; conflicts: () => number } {
  let writes = 0;
  let conflicts = 0;
  const counted: ClusterPort = Object.create(port) as ClusterPort;
  counted.writeConfigMap = async (cm) => {
    writes++;
    try {
      return await port.writeConfigMap(cm);
    } catch (err) {
      if ((err as { status?: number }).status === 409) conflicts++;
      throw err;
    }
  };
  return { port: counted, writes: () => writes, conflicts: () => conflicts };
}

describe("the store on the real API server", () => {
  it("8 concurrent writers of one suite's history: 0 lost records", async () => {
    const c = counting(admin());
    // Eight stores, as eight CI jobs would each have their own.
    const stores = Array.from({ length: 8 }, () => clusterHistoryStore({ port: c.port, namespace: ns, setTimer: realSetTimer }));
    const t0 = Date.now();
    await Promise.all(stores.map((s, i) => s.append("race", fakeRun(i + 1, 200), 50)));
    const { histories } = await stores[0]!.read(["race"]);
    const ids = (histories.get("race")?.runs ?? []).map((r) => r.runId).sort();
    console.log(`[history] 8 concurrent appends in ${Date.now() - t0} ms: ${c.writes()} writes, ${c.conflicts()} conflicts (409) retried; ${ids.length} runs kept: ${ids.join(",")}`);
    expect(ids).toEqual(Array.from({ length: 8 }, (_, i) => fakeRun(i + 1, 0).runId));
  });

  it("the size of a history after 50 runs of a 1,000-test suite (and the 51st rolls the oldest off)", async () => {
    const store = clusterHistoryStore({ port: admin(), namespace: ns, setTimer: realSetTimer });
    const t0 = Date.now();
    for (let i = 1; i <= 51; i++) await store.append("big", fakeRun(i, 1000), 50);
    const cm = await admin().getConfigMap(ns, historyName("big"));
    const b64 = cm?.binaryData?.[HISTORY_KEY] ?? "";
    const bytes = Buffer.from(b64, "base64").length;
    const { histories } = await store.read(["big"]);
    const runs = histories.get("big")?.runs ?? [];
    console.log(
      `[history] 51 appends of 1,000 tests in ${Date.now() - t0} ms; kept ${runs.length} runs (newest ${runs[0]?.runId}, oldest ${runs.at(-1)?.runId}); ` +
        `gzip ${bytes} B, in the ConfigMap as base64 ${b64.length} B (limit 1 MiB = 1048576 B)`,
    );
    expect(runs.length).toBe(50);
    expect(runs.at(-1)?.runId).toBe("r0002");
    expect(runs[0]?.tests.length).toBe(1000);
    expect(b64.length).toBeLessThan(512 * 1024);
  });
});

describe("without configmaps permissions", () => {
  it("the run goes on: one warning, the same exit code", async () => {
    // A ServiceAccount with every verb a run uses, and no configmaps.
    const role = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "no-history", namespace: ns },
      rules: [
        { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "get", "list", "watch", "delete"] },
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch", "delete"] },
        { apiGroups: [""], resources: ["pods/log", "pods/exec"], verbs: ["get", "create"] },
        { apiGroups: [""], resources: ["events"], verbs: ["list", "watch"] },
        { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["create", "patch", "get"] },
        { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"], verbs: ["create", "patch", "get"] },
      ],
    };
    const binding = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "no-history", namespace: ns },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "no-history" },
      subjects: [{ kind: "ServiceAccount", name: "no-history", namespace: ns }],
    };
    kubectl("-n", ns, "create", "serviceaccount", "no-history");
    const file = join(work, "no-history-rbac.yaml");
    writeFileSync(file, `${stringify(role)}---\n${stringify(binding)}`);
    kubectl("apply", "-f", file);
    const token = kubectl("-n", ns, "create", "token", "no-history").trim();
    const admin = parse(readFileSync(ADMIN_KUBECONFIG, "utf8")) as { clusters: { name: string; cluster: Record<string, unknown> }[] };
    const kubeconfig = join(work, "no-history.kubeconfig");
    const cluster = admin.clusters[0]!;
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [cluster],
        users: [{ name: "no-history", user: { token } }],
        contexts: [{ name: "no-history", context: { cluster: cluster.name, user: "no-history", namespace: ns } }],
        "current-context": "no-history",
      }),
      { mode: 0o600 },
    );
    const r = await cli(["--kubeconfig", kubeconfig, "-c", config, "run", "mixed", "-q", "--report-dir", join(work, "no-perm")]);
    const warnings = r.stderr.split("\n").filter((l) => l.includes("warning: history"));
    console.log(`[history] without configmaps: exit ${r.code}; ${warnings.length} warning(s):\n${warnings.join("\n")}`);
    expect(r.code, r.stderr.slice(-3000)).toBe(1);
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(/403/);
    const d = await cli(["--kubeconfig", kubeconfig, "-c", config, "doctor"]);
    const lines = d.stdout.split("\n").filter((l) => l.includes("configmaps"));
    console.log(`[history] doctor without configmaps:\n${lines.join("\n")}`);
    expect(d.stdout).toMatch(/^warn may get configmaps \(run history\)/m);
    // Optional: the run goes on without a history, so doctor does not fail on it.
    console.log(`[history] doctor without configmaps: exit ${d.code}; ${d.stdout.trim().split("\n").filter((l) => /checks (passed|failed)/.test(l)).join("")}`);
    expect(d.code, d.stdout.slice(-3000)).toBe(0);
    expect(d.stdout).toMatch(/optional not met/);
  });
});
