// The small pieces every part of report.html writes (pure): escaping, durations, verdict badges,
// the anchors of suites.
import type { FailureClass, Verdict } from "../diagnose/types.js";
import { stripAnsi } from "./text.js";

export const esc = (s: string | number): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
export const clean = (s: string | undefined): string => esc(stripAnsi(s ?? ""));

export const VERDICT: Record<Verdict, string> = {
  passed: "PASSED",
  failed: "FAILED",
  couldNotRun: "COULD NOT RUN",
  timedOut: "TIMED OUT",
  interrupted: "INTERRUPTED",
};

/** "0.4 s", "12 s", "2 min 5 s". */
export function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return rest ? `${m} min ${rest} s` : `${m} min`;
}

export const anchor = (suite: string): string => `suite-${suite.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
export const badge = (v: Verdict, cls?: FailureClass): string =>
  `<span class="badge v-${v}">${VERDICT[v]}</span>${cls && v !== "passed" ? ` <code>${esc(cls)}</code>` : ""}`;
/** "1 test", "2 tests". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
