// Notifications at the end of run(), before run.finished: every wanted target at once, each with a
// bounded timeout and one retry. A target that cannot be reached is one of the result's warnings
// (run.finished carries them); it never changes the exit code.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { NotifyTarget } from "../config/notify.js";
import type { Emit } from "../events/envelope.js";
import type { RunResult } from "../results/run-result.js";
import { TimerScope } from "../timers.js";
import type { SetTimer } from "../timers.js";
import type { CiEnv } from "../ci-links.js";
import { NOTIFY_RETRY_DELAY_MS, NOTIFY_TIMEOUT_MS, postWithRetry } from "./post.js";
import { outcomeText, parseTargetUrl, payload, targetName, wanted } from "./targets.js";

export interface NotifyDeps {
  env: CiEnv;
  /** Where urlFromFile paths are relative to. */
  cwd: string;
  /** The run's own emit (its envelope and clock), for the verbose note of each delivery. */
  emit: Emit;
  /** Default: the real clock; every timer is cleared before notifyRun returns. */
  setTimer?: SetTimer;
  timeoutMs?: number;
  retryDelayMs?: number;
}

/** Sends the result to each wanted target; returns it with any delivery problem among its warnings. */
export async function notifyRun(result: RunResult, targets: readonly NotifyTarget[] | undefined, deps: NotifyDeps): Promise<RunResult> {
  const chosen = (targets ?? []).map((t, i) => ({ t, name: targetName(t, i) })).filter(({ t }) => wanted(t, result));
  if (chosen.length === 0) return result;
  const timers = new TimerScope(deps.setTimer);
  try {
    const problems = await Promise.all(
      chosen.map(async ({ t, name }): Promise<string | undefined> => {
        const source = readSource(t, deps);
        const target = "problem" in source ? source : parseTargetUrl(source.raw, t);
        if ("problem" in target) return `${name}: not sent: ${target.problem}`;
        const { body, contentType } = payload(t, result, deps.env);
        const { outcome, attempts } = await postWithRetry(target.url, body, contentType, {
          timeoutMs: deps.timeoutMs ?? NOTIFY_TIMEOUT_MS,
          retryDelayMs: deps.retryDelayMs ?? NOTIFY_RETRY_DELAY_MS,
          setTimer: timers.set,
        });
        if (outcome.ok) {
          deps.emit({ type: "run.note", level: "verbose", text: `${name}: ${outcomeText(outcome, attempts)}` });
          return undefined;
        }
        return `${name}: ${outcomeText(outcome, attempts)}`;
      }),
    );
    const warnings = problems.filter((p): p is string => p !== undefined);
    return warnings.length ? { ...result, warnings: [...(result.warnings ?? []), ...warnings] } : result;
  } finally {
    timers.dispose();
  }
}

function readSource(t: NotifyTarget, deps: NotifyDeps): { raw: string | undefined } | { problem: string } {
  if (t.urlFromEnv) return { raw: deps.env[t.urlFromEnv] };
  try {
    return { raw: readFileSync(resolve(deps.cwd, t.urlFromFile ?? ""), "utf8") };
  } catch (err) {
    return { problem: `file ${t.urlFromFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})` };
  }
}
