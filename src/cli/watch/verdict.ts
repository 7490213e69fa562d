// Watch mode's one line per round (stdout): `round 3: FAILED smoke (4.1s) — exit 1`. Pure.
import type { Verdict } from "../../diagnose/types.js";
import { ExitCode } from "../../exit-codes.js";

const WORDS: Record<number, string> = {
  [ExitCode.ok]: "PASSED",
  [ExitCode.testsFailed]: "FAILED",
  [ExitCode.usage]: "INVALID CONFIG",
  [ExitCode.couldNotRun]: "COULD NOT RUN",
  [ExitCode.timedOut]: "TIMED OUT",
  [ExitCode.interrupted]: "INTERRUPTED",
};

const SUITE_WORDS: Record<Verdict, string> = {
  passed: "passed",
  failed: "failed",
  couldNotRun: "could not run",
  timedOut: "timed out",
  interrupted: "interrupted",
};

export interface RoundOutcome {
  round: number;
  exitCode: number;
  /** Each suite's own verdict; absent when the round stopped before there were any. */
  suites: readonly { suite: string; verdict: Verdict }[];
  /** The names the round was asked to run. */
  names: readonly string[];
  ms: number;
  /** A file changed during the round and cancelled it. */
  cancelled: boolean;
}

export function verdictLine(o: RoundOutcome): string {
  const secs = `(${(o.ms / 1000).toFixed(1)}s)`;
  if (o.cancelled) return `round ${o.round}: CANCELLED ${o.names.join(", ")} ${secs} — a file changed`;
  const word = WORDS[o.exitCode] ?? `EXIT ${o.exitCode}`;
  // With several suites each one's own verdict; with one, the word says it.
  const who = o.suites.length > 1 ? o.suites.map((s) => `${s.suite} ${SUITE_WORDS[s.verdict]}`).join(", ") : o.names.join(", ");
  return `round ${o.round}: ${word} ${who} ${secs} — exit ${o.exitCode}`;
}
