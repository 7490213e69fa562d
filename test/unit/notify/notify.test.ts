import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { NotifyTarget } from "../../../src/config/notify.js";
import { stamped } from "../../../src/events/envelope.js";
import type { RunEvent } from "../../../src/events/types.js";
import { notifyRun } from "../../../src/notify/index.js";
import { slackMessage } from "../../../src/notify/slack.js";
import type { RunResult } from "../../../src/results/run-result.js";
import { TimerScope } from "../../../src/timers.js";
import { startReceiver } from "../../support/http-receiver.js";
import type { Receiver } from "../../support/http-receiver.js";
import { parseConfig } from "../../../src/config/parse.js";
import { UsageError } from "../../../src/errors.js";
import { expectGolden } from "../support/golden.js";
import { sampleResult } from "../report/sample-result.js";

const passed: RunResult = { ...sampleResult, exitCode: 0, suites: [sampleResult.suites[2]!] };
const open: Receiver[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});
async function receiver(mode: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(mode);
  open.push(r);
  return r;
}

async function notify(result: RunResult, targets: NotifyTarget[], env: Record<string, string>, o: { timeoutMs?: number; retryDelayMs?: number } = {}) {
  const events: RunEvent[] = [];
  const scope = new TimerScope();
  const started = Date.now();
  const emit = stamped(result.runId, () => 0, (e) => events.push(e));
  const out = await notifyRun(result, targets, { env, cwd: process.cwd(), emit, setTimer: scope.set, ...o });
  return { out, events, ms: Date.now() - started, pendingTimers: scope.pending };
}

describe("notifications to a real HTTP receiver on 127.0.0.1", () => {
  it("slack gets the incoming-webhook message, webhook the RunResult JSON; the URLs are never in any event", async () => {
    const slack = await receiver("ok");
    const hook = await receiver("ok");
    const env = { SLACK_WEBHOOK_URL: slack.url, TEAM_HOOK: hook.url, GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/shop", GITHUB_RUN_ID: "9001" };
    const { out, events } = await notify(sampleResult, [{ type: "slack", urlFromEnv: "SLACK_WEBHOOK_URL", on: "failure" }, { type: "webhook", urlFromEnv: "TEAM_HOOK", on: "always" }], env);
    expect(out).toBe(sampleResult);
    expect(slack.received).toHaveLength(1);
    expect(slack.received[0]).toMatchObject({ method: "POST", path: "/hook/T000/B000/secret-token", headers: { "content-type": "application/json" } });
    expectGolden("notify/slack.json", `${JSON.stringify(JSON.parse(slack.received[0]!.body), null, 2)}\n`);
    const posted = JSON.parse(hook.received[0]!.body) as { kind: string; runId: string; suites: { suite: string; verdict: string }[] };
    expect(posted).toMatchObject({ kind: "RunResult", runId: "k3v9q" });
    expect(posted.suites.map((s) => `${s.suite}:${s.verdict}`)).toEqual(["api:failed", "shop:failed", "smoke:passed", "load:timedOut"]);
    expect(JSON.stringify(events)).not.toContain("secret-token");
    expect(events.map((e) => e.type === "run.note" && `${e.level} ${e.text}`)).toEqual(["verbose notify[0] (slack, $SLACK_WEBHOOK_URL): sent (HTTP 200)", "verbose notify[1] (webhook, $TEAM_HOOK): sent (HTTP 200)"]);
  });

  it("on: failure skips a passed run; on: always sends it", async () => {
    const hook = await receiver("ok");
    await notify(passed, [{ type: "webhook", urlFromEnv: "HOOK", on: "failure" }, { type: "slack", urlFromEnv: "HOOK" }], { HOOK: hook.url });
    expect(hook.received).toHaveLength(0);
    await notify(passed, [{ type: "webhook", urlFromEnv: "HOOK", on: "always" }], { HOOK: hook.url });
    expect(hook.received).toHaveLength(1);
  });

  it("a receiver answering 500 gets one retry, then a warning on the result (no note of its own: run.finished carries it); the exit code stays", async () => {
    const bad = await receiver("error500");
    const { out, events, ms } = await notify(sampleResult, [{ type: "webhook", urlFromEnv: "HOOK" }], { HOOK: bad.url }, { retryDelayMs: 100 });
    expect(bad.received).toHaveLength(2);
    expect(out.exitCode).toBe(sampleResult.exitCode);
    expect(out.warnings).toEqual(["notify[0] (webhook, $HOOK): not delivered after 2 attempts: HTTP 500"]);
    expect(events.filter((e) => e.type === "run.note" && e.level === "warning")).toHaveLength(0);
    expect(ms).toBeLessThan(2000);
  });

  it("a receiver that never answers is given up after the timeout, twice; wall time bounded, no timer left", async () => {
    const silent = await receiver("silent");
    const { out, ms, pendingTimers } = await notify(sampleResult, [{ type: "slack", urlFromEnv: "HOOK" }], { HOOK: silent.url }, { timeoutMs: 300, retryDelayMs: 100 });
    expect(silent.received).toHaveLength(2);
    expect(out.warnings).toEqual(["notify[0] (slack, $HOOK): not delivered after 2 attempts: timed out after 0.3s"]);
    expect(ms).toBeGreaterThanOrEqual(700);
    expect(ms).toBeLessThan(2000);
    expect(pendingTimers).toBe(0);
  });

  it("a 4xx is not retried; a missing variable, an unreadable file or a non-URL is a warning that never shows the value", async () => {
    const dir = mkdtempSync(join(tmpdir(), "incluster-notify-"));
    writeFileSync(join(dir, "url"), "ftp://user:hunter2@example.com/x\n");
    const { out } = await notify(sampleResult, [
      { type: "slack", urlFromEnv: "UNSET_VAR" },
      { type: "webhook", urlFromFile: join(dir, "missing") },
      { type: "webhook", urlFromFile: join(dir, "url") },
      { type: "webhook", urlFromEnv: "NOT_A_URL" },
    ], { NOT_A_URL: "hunter2" });
    expect(out.warnings).toEqual([
      "notify[0] (slack, $UNSET_VAR): not sent: environment variable UNSET_VAR is not set or empty",
      `notify[1] (webhook, ${join(dir, "missing")}): not sent: file ${join(dir, "missing")} cannot be read (ENOENT)`,
      `notify[2] (webhook, ${join(dir, "url")}): not sent: file ${join(dir, "url")} holds a URL that is not http(s)`,
      "notify[3] (webhook, $NOT_A_URL): not sent: environment variable NOT_A_URL does not hold a URL",
    ]);
    expect(JSON.stringify(out.warnings)).not.toContain("hunter2");
  });

  it("slack's message for a passed run has no failure section; a GitLab job is linked", () => {
    const m = slackMessage(passed, { url: "https://gitlab.example.com/g/p/-/jobs/7", label: "GitLab CI job" });
    expect(m.blocks).toHaveLength(2);
    expect(m.blocks[0]!.text.text).toBe("*incluster run k3v9q: 1 passed, 0 failed — exit code 0*\n<https://gitlab.example.com/g/p/-/jobs/7|GitLab CI job>");
  });
});

describe("notify: in incluster.yaml", () => {
  const base = "apiVersion: incluster.dev/v1alpha1\nkind: Config\nimage: { registry: r.example/x }\nsource: { image: {} }\nsuites: { smoke: { test: tests } }\n";
  const problems = (yaml: string): string[] => {
    try {
      parseConfig(yaml, "incluster.yaml");
    } catch (e) {
      if (e instanceof UsageError) return [...e.problems];
      throw e;
    }
    return [];
  };

  it("takes the issue's example", () => {
    const c = parseConfig(`${base}notify:\n  - type: slack\n    urlFromEnv: SLACK_WEBHOOK_URL\n    on: failure\n  - type: webhook\n    urlFromFile: /var/run/secrets/hook/url\n    on: always\n`, "incluster.yaml");
    expect(c.notify).toEqual([{ type: "slack", urlFromEnv: "SLACK_WEBHOOK_URL", on: "failure" }, { type: "webhook", urlFromFile: "/var/run/secrets/hook/url", on: "always" }]);
  });

  it("names every problem with its path", () => {
    const p = problems(`${base}notify:\n  - type: teams\n    urlFromEnv: X\n  - type: webhook\n    urlFromEnv: A\n    on: sometimes\n`).join("\n");
    expect(p).toContain('notify[0].type: expected one of slack, webhook, got "teams" (line 7)');
    expect(p).toContain('notify[1].on: expected one of failure, always, got "sometimes" (line 11)');
    expect(problems(`${base}notify:\n  - type: slack\n`).join("\n")).toContain("notify[0]: set exactly one of urlFromEnv (an environment variable) or urlFromFile (a file); neither is set");
    expect(problems(`${base}notify:\n  - type: slack\n    urlFromEnv: A\n    urlFromFile: b\n`).join("\n")).toContain("notify[0]: set exactly one of urlFromEnv or urlFromFile, not both");
    const pasted = problems(`${base}notify:\n  - type: slack\n    urlFromEnv: "https://hooks.example/T0/B0/xyz"\n`).join("\n");
    expect(pasted).toMatch(/^notify\[0\]\.urlFromEnv: expected the name of an environment variable like SLACK_WEBHOOK_URL/);
    expect(pasted).not.toContain("xyz");
  });
});
