// Issue 13, item 5 (part B): the control plane fails under incluster on the project's real
// cluster. The kubelet restarts while a test prints; the API server is down when `run` starts;
// the API server is down for 20 s while a test prints. Each time: the right verdict and exit
// code, every numbered line exactly once and in order (streamed and saved), nothing left behind.
// Other work shares the cluster: each disruption is logged to /tmp/incluster-disrupt.log and the
// component is always started again, even when an assertion fails.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../src/results/run-result.js";
import { ADMIN_KUBECONFIG, KUBECTL, ROOT, cli, requireCluster, savedLog, startCli, waitForOutput } from "./support/cli.js";
import type { CliResult } from "./support/cli.js";

const CONFIG = join(ROOT, "test/integration/fixtures/control-plane.yaml");
const DISRUPT_LOG = "/tmp/incluster-disrupt.log";
const work = mkdtempSync(join(tmpdir(), "incluster-it-control-plane-"));
const base = `incluster-fcp-${Date.now().toString(36)}`;
const namespaces: string[] = [];
const kubectl = (...args: string[]) => execFileSync(KUBECTL, ["--kubeconfig", ADMIN_KUBECONFIG, ...args], { encoding: "utf8" });
const cluster = (script: string) => execFileSync("bash", [join(ROOT, "test/cluster", script)], { stdio: ["ignore", "ignore", "pipe"] });
/** Starts the kubelet as `up` does when it is not running (a no-op otherwise). */
const ensureKubelet = () => execFileSync("bash", ["-c", `source "${ROOT}/test/cluster/lib/common.sh"; source "${ROOT}/test/cluster/lib/node.sh"; start_kubelet`], { stdio: ["ignore", "ignore", "pipe"] });
const mark = (what: string, edge: "start" | "end") => appendFileSync(DISRUPT_LOG, `${new Date().toISOString()} ${what} ${edge}\n`);

/** Runs `disrupt` bracketed by start/end lines in the shared log; `restore` always runs after it. */
async function disruption(what: string, disrupt: () => Promise<void> | void, restore: () => void): Promise<void> {
  mark(what, "start");
  try {
    await disrupt();
  } finally {
    try {
      restore();
    } finally {
      mark(what, "end");
    }
  }
}

function freshNamespace(tag: string): string {
  const ns = `${base}-${tag}`;
  kubectl("create", "namespace", ns);
  namespaces.push(ns);
  return ns;
}

interface Run {
  child: ReturnType<typeof startCli>["child"];
  done: Promise<CliResult>;
  stderrSoFar: () => string;
  events: string;
}

/** `incluster run <suite>` in its own namespace and report dir, with -v, --events and -o json. */
function startRun(ns: string, suite: string): Run {
  const events = join(work, `${ns}-${suite}.jsonl`);
  const r = startCli(["-v", "-n", ns, "-c", CONFIG, "run", suite, "-o", "json", "--events", events, "--report-dir", join(work, `${ns}-${suite}`)]);
  // A hang guard only: the run must end on its own well before this.
  const guard = setTimeout(() => r.child.kill("SIGKILL"), 240_000);
  return { ...r, done: r.done.finally(() => clearTimeout(guard)), events };
}

const NUMBERED = /^numbered line (\d+) of (\d+)$/;
const numbers = (lines: string[]) => lines.flatMap((l) => (NUMBERED.exec(l) ? [Number(NUMBERED.exec(l)?.[1])] : []));
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Seconds from the Job's creation to scheduled and running: where a slow run spent its time. */
const phases = (r: RunResult) =>
  r.suites
    .map((s) => {
      const t0 = Date.parse(s.phases.queued ?? "");
      const at = (p: keyof typeof s.phases) => ((Date.parse(s.phases[p] ?? "") - t0) / 1000).toFixed(1);
      return `${s.suite} scheduled +${at("scheduled")}s running +${at("running")}s finished +${at("finished")}s`;
    })
    .join(", ");

/** The numbered lines as streamed (log events of the test container) and as saved in the report dir. */
function lines(run: Run, r: CliResult, suite: string): { result: RunResult; streamed: number[]; saved: number[] } {
  let result: RunResult;
  try {
    result = JSON.parse(r.stdout) as RunResult;
  } catch {
    throw new Error(`no JSON on stdout (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
  }
  const events = readFileSync(run.events, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string; container?: string; line?: string });
  const streamed = numbers(events.filter((e) => e.type === "log" && e.container === "test-runner").map((e) => e.line ?? ""));
  const saved = numbers(savedLog(result, suite).split("\n"));
  return { result, streamed, saved };
}

const count = (text: string, re: RegExp) => text.match(new RegExp(re.source, "g"))?.length ?? 0;

beforeAll(() => requireCluster());
afterAll(() => {
  // Whatever happened above, the shared cluster is whole again.
  cluster("start-apiserver");
  ensureKubelet();
  for (const ns of namespaces) kubectl("delete", "namespace", ns, "--ignore-not-found", "--wait=false");
  rmSync(work, { recursive: true, force: true });
});

describe("the control plane fails under a run", () => {
  it("the kubelet restarts while the tests print: verdicts right (exit 0 and exit 1), every line once, in order", async () => {
    const ns = freshNamespace("kubelet");
    const pass = startRun(ns, "kubelet-lines");
    const fail = startRun(ns, "kubelet-lines-fail");
    try {
      await Promise.all([pass, fail].map((r) => waitForOutput(r.stderrSoFar, /\[test\] numbered line 15 of 60\n/, 120_000)));
      await disruption("kubelet restart (faults-control-plane.test.ts)", () => void cluster("restart-kubelet"), ensureKubelet);
    } catch (err) {
      for (const r of [pass, fail]) r.child.kill("SIGINT");
      throw err;
    }
    const [p, f] = await Promise.all([pass.done, fail.done]);
    const pl = lines(pass, p, "kubelet-lines");
    const fl = lines(fail, f, "kubelet-lines-fail");
    console.log(`[control-plane] kubelet restart: exit ${p.code} and ${f.code}; streamed ${pl.streamed.length} and ${fl.streamed.length} lines, saved ${pl.saved.length} and ${fl.saved.length}; ${phases(pl.result)}, ${phases(fl.result)}`);
    expect(p.code, p.stderr.slice(-2000)).toBe(0);
    expect(pl.result.suites[0]).toMatchObject({ verdict: "passed", testExitCode: 0 });
    expect(f.code, f.stderr.slice(-2000)).toBe(1);
    expect(fl.result.suites[0]).toMatchObject({ verdict: "failed", class: "testsFailed", testExitCode: 1 });
    for (const [r, l] of [
      [p, pl],
      [f, fl],
    ] as const) {
      // The restart cut the log follow (the API server proxies it from the kubelet), and it resumed.
      expect(r.stderr).toMatch(/log of test-runner: stream (broke|ended before the container did)/);
      expect(l.streamed).toEqual(oneToN(60));
      expect(l.saved).toEqual(oneToN(60));
    }
  });

  it("the API server is down for 20 s while the tests print: the runs resume, say so, lose no line, and get the right verdicts", async () => {
    const ns = freshNamespace("apiserver-outage");
    const pass = startRun(ns, "outage-lines");
    const fail = startRun(ns, "outage-lines-fail");
    try {
      await Promise.all([pass, fail].map((r) => waitForOutput(r.stderrSoFar, /\[test\] numbered line 20 of 160\n/, 120_000)));
      await disruption(
        "kube-apiserver down 20 s (faults-control-plane.test.ts)",
        async () => {
          cluster("stop-apiserver");
          await new Promise((res) => setTimeout(res, 20_000));
        },
        () => void cluster("start-apiserver"),
      );
    } catch (err) {
      for (const r of [pass, fail]) r.child.kill("SIGINT");
      throw err;
    }
    const [p, f] = await Promise.all([pass.done, fail.done]);
    const pl = lines(pass, p, "outage-lines");
    const fl = lines(fail, f, "outage-lines-fail");
    console.log(`[control-plane] 20 s outage: exit ${p.code} and ${f.code}; streamed ${pl.streamed.length} and ${fl.streamed.length} lines, saved ${pl.saved.length} and ${fl.saved.length}; ${phases(pl.result)}, ${phases(fl.result)}; ${p.stderr.split("\n").filter((l) => /unreachable \(|reconnected/.test(l)).join(" | ")}`);
    expect(p.code, p.stderr.slice(-3000)).toBe(0);
    expect(pl.result.suites[0]).toMatchObject({ verdict: "passed", testExitCode: 0 });
    expect(f.code, f.stderr.slice(-3000)).toBe(1);
    expect(fl.result.suites[0]).toMatchObject({ verdict: "failed", class: "testsFailed", testExitCode: 1 });
    for (const [r, l] of [
      [p, pl],
      [f, fl],
    ] as const) {
      // Said once each, in that order, not once per retry.
      expect(count(r.stderr, /incluster: warning: API server https:\/\/127\.0\.0\.1:6443 unreachable \(/)).toBe(1);
      expect(count(r.stderr, /incluster: reconnected to the API server after \d+s/)).toBe(1);
      expect(r.stderr.indexOf("unreachable (")).toBeLessThan(r.stderr.indexOf("reconnected to the API server"));
      // The follow broke and resumed from its last timestamp; the watches resumed (or relisted after 410).
      expect(r.stderr).toMatch(/log of test-runner: stream (broke|ended before the container did)/);
      expect(r.stderr).toMatch(/(pods|jobs|events) watch (broke|ended)/);
      expect(l.streamed).toEqual(oneToN(160));
      expect(l.saved).toEqual(oneToN(160));
    }
  });

  it("the API server is killed while the pod's log copy is echoed: the copy breaks off and is taken again once the server is back; every line once, in order, the saved log whole", async () => {
    const ns = freshNamespace("copy-broken");
    const events = join(work, `${ns}-burst.jsonl`);
    const run = startCli(["-v", "-n", ns, "-c", CONFIG, "run", "burst-lines", "-q", "-o", "json", "--events", events, "--report-dir", join(work, `${ns}-burst`)]);
    const guard = setTimeout(() => run.child.kill("SIGKILL"), 240_000);
    try {
      // Said when the copy's tar header arrives; its ~60 MB take over a second to stream in.
      await waitForOutput(run.stderrSoFar, /live follow of pod\/\S+ cut about [\d.]+ MiB behind/, 120_000);
      await disruption(
        "kube-apiserver SIGKILL while a log copy streams (faults-control-plane.test.ts)",
        async () => {
          const pid = Number(execFileSync("bash", ["-c", `source "${ROOT}/test/cluster/lib/common.sh"; pid_of kube-apiserver`], { encoding: "utf8" }).trim());
          process.kill(pid, "SIGKILL");
          // Its port free (all its threads gone) before it is started again: else start-apiserver
          // sees it running, or cannot bind.
          const listening = () =>
            new Promise<boolean>((res) => {
              const c = connect({ host: "127.0.0.1", port: 6443 });
              c.once("connect", () => (c.destroy(), res(true)));
              c.once("error", () => res(false));
            });
          for (let i = 0; i < 100 && (await listening()); i++) await new Promise((res) => setTimeout(res, 50));
        },
        () => void cluster("start-apiserver"),
      );
    } catch (err) {
      run.child.kill("SIGINT");
      throw err;
    } finally {
      clearTimeout(guard);
    }
    const r = await run.done;
    clearTimeout(guard);
    const result = JSON.parse(r.stdout) as RunResult;
    const BURST = /^numbered line (\d+) of 500000 x{100}$/;
    const nums = (ls: string[]) => ls.flatMap((l) => (BURST.exec(l) ? [Number(BURST.exec(l)?.[1])] : []));
    const logEvents = readFileSync(events, "utf8")
      .split("\n")
      .filter((l) => l.includes('"type":"log"') && l.includes('"container":"test-runner"'))
      .map((l) => JSON.parse(l) as { line: string; fromCopy?: boolean });
    const streamed = nums(logEvents.map((e) => e.line));
    const saved = nums(savedLog(result, "burst-lines").split("\n"));
    const broke = /the copy of pod\/\S+'s log broke off \((\d+) line\(s\) echoed from copies so far\); copying it again/.exec(r.stderr);
    console.log(`[control-plane] SIGKILL under the copy: exit ${r.code}; ${broke?.[0] ?? "the copy did not break"}; ${logEvents.filter((e) => e.fromCopy).length} lines echoed from the copy; streamed ${streamed.length} lines, saved ${saved.length}`);
    // Where the events depart from 1..500000, with each line's origin, so a failure says what happened.
    const firstOff = streamed.findIndex((n, i) => n !== i + 1);
    const around = firstOff === -1 ? "" : logEvents.filter((e) => BURST.test(e.line)).slice(Math.max(0, firstOff - 3), firstOff + 3).map((e) => `${BURST.exec(e.line)?.[1]}${e.fromCopy ? "(copy)" : "(live)"}`).join(" ");
    const why = `${firstOff === -1 ? "in order" : `first departure at event ${firstOff}: ${around}`}; verbose notes:\n${r.stderr.split("\n").filter((l) => /follow|copy|echo|resum|final read/.test(l)).join("\n").slice(-3000)}`;
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(result.suites[0]).toMatchObject({ verdict: "passed", testExitCode: 0 });
    expect(broke, r.stderr.slice(-3000)).not.toBeNull();
    // Every line once, in order, in the events and in the saved log (a copy that came whole).
    expect(r.stderr, why).toMatch(/was cut for the pod's own copy of its log, echoed as it came: \d+ of \d+ lines echoed live, the last \d+ from the copy; the saved test-runner log is that copy, complete/);
    expect(streamed.length, why).toBe(500_000);
    expect(streamed.every((n, i) => n === i + 1), why).toBe(true);
    expect(saved.length).toBe(500_000);
    expect(saved.every((n, i) => n === i + 1)).toBe(true);
  });

  it("the API server is down when run starts: exit 3 within 10 s, naming the server unreachable; nothing created", async () => {
    const ns = freshNamespace("apiserver-down");
    let r: CliResult | undefined;
    let ms = 0;
    await disruption(
      "kube-apiserver stopped for one run (faults-control-plane.test.ts)",
      async () => {
        cluster("stop-apiserver");
        const t0 = Date.now();
        r = await cli(["-n", ns, "-c", CONFIG, "run", "kubelet-lines", "-o", "json", "--report-dir", join(work, "apiserver-down")]);
        ms = Date.now() - t0;
      },
      () => void cluster("start-apiserver"),
    );
    const { code, stderr, stdout } = r as CliResult;
    console.log(`[control-plane] API server down at start: exit ${code} after ${ms} ms; ${stderr.split("\n").find((l) => l.includes("unreachable"))}`);
    expect(code, stderr).toBe(3);
    expect(ms).toBeLessThan(10_000);
    expect(stderr).toMatch(/API server: https:\/\/127\.0\.0\.1:6443 unreachable \(connect ECONNREFUSED 127\.0\.0\.1:6443\)/);
    const s = (JSON.parse(stdout) as RunResult).suites[0];
    expect(s).toMatchObject({ verdict: "couldNotRun", class: "unreachable" });
    // Nothing of incluster's in the namespace: no Job at all, no ServiceAccount, Role, RoleBinding or ConfigMap of ours.
    expect(kubectl("-n", ns, "get", "jobs", "-o", "name").trim()).toBe("");
    expect(kubectl("-n", ns, "get", "serviceaccounts,roles,rolebindings,configmaps", "-l", "app.kubernetes.io/managed-by=incluster", "-o", "name").trim()).toBe("");
    expect(kubectl("-n", ns, "get", "serviceaccounts", "-o", "name").split("\n").filter((n) => n && n !== "serviceaccount/default")).toEqual([]);
  });
});
