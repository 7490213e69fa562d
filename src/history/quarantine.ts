// Which tests of a suite are quarantined in this run: the config's entries (an id or a glob, a
// reason, an optional end) and, with `flaky: {quarantine: auto}`, the tests the suite's history
// shows flaky too often. Pure: the engine hands in the entries, the history and the clock.
import type { QuarantineMark } from "../results/quarantine.js";
import type { HistoryTest, SuiteHistory } from "./model.js";

/** One `quarantine:` entry as the config gives it. */
export interface QuarantineEntry {
  /** A test id, or a glob over ids: `*` any run of characters, `?` one. */
  test: string;
  reason: string;
  /** A date (YYYY-MM-DD: through the end of that day, UTC) or an ISO 8601 time; after it the entry no longer applies. */
  until?: string;
}

/** `flaky:` as the engine uses it: the automatic policy's numbers. */
export interface FlakyPolicy {
  quarantine: "auto" | "off";
  /** How many of a test's most recent runs are looked at. */
  window: number;
  /** Quarantined when flaky in more than this many runs of the window. */
  threshold: number;
  /** Released after this many clean (passed) runs in a row, the most recent ones. */
  release: number;
}

export const DEFAULT_FLAKY_POLICY: FlakyPolicy = { quarantine: "off", window: 20, threshold: 2, release: 5 };

const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant an entry's `until` ends (a bare date lasts through that day, UTC); NaN for text that is no time. */
export function untilMs(until: string): number {
  const ms = Date.parse(until);
  return /^\d{4}-\d{2}-\d{2}$/.test(until) ? ms + DAY_MS : ms;
}

/** A glob over test ids as a whole-string pattern; every other character is literal. */
export function globPattern(glob: string): RegExp {
  const body = [...glob].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${body}$`, "s");
}

/** What a run's quarantine is: explicit rules, automatic ids, and the entries that ran out. */
export interface Quarantine {
  /** The reason a test is quarantined in this run, or undefined: the first matching entry, else the policy's. */
  reasonFor(id: string): string | undefined;
  /** The same, with the entry's end and which rule it is (the test.quarantined event says both). */
  markOf(id: string): QuarantineMark | undefined;
  /** Entries whose `until` has passed: they apply no more (the suite says so). */
  readonly expired: readonly QuarantineEntry[];
  /** Tests the automatic policy quarantines, with its reason. */
  readonly auto: ReadonlyMap<string, string>;
}

/** The quarantine of one suite's run, from its entries (defaults' then the suite's), its history and the run's clock. */
export function quarantineOf(entries: readonly QuarantineEntry[], policy: FlakyPolicy, history: SuiteHistory | undefined, nowMs: number): Quarantine {
  const active: { entry: QuarantineEntry; pattern: RegExp }[] = [];
  const expired: QuarantineEntry[] = [];
  for (const entry of entries) {
    if (entry.until !== undefined && !(nowMs < untilMs(entry.until))) expired.push(entry);
    else active.push({ entry, pattern: globPattern(entry.test) });
  }
  const auto = policy.quarantine === "auto" && history ? autoQuarantine(history, policy) : new Map<string, string>();
  const markOf = (id: string): QuarantineMark | undefined => {
    const hit = active.find((a) => a.pattern.test(id));
    if (hit) {
      const { reason, until } = hit.entry;
      return until !== undefined ? { reason: `${reason} (until ${until})`, until, rule: "entry" } : { reason, rule: "entry" };
    }
    const reason = auto.get(id);
    return reason === undefined ? undefined : { reason, rule: "auto" };
  };
  return {
    reasonFor: (id) => markOf(id)?.reason,
    markOf,
    expired,
    auto,
  };
}

/** What a test did in one run: a quarantined test's own outcome, when the history kept it. */
function outcomeOf(t: HistoryTest): HistoryTest["status"] | undefined {
  return t.status === "quarantined" ? t.outcome : t.status;
}

/**
 * The automatic policy: a test flaky in more than `threshold` of its last `window` runs is
 * quarantined, unless its last `release` runs all passed. Stateless: the same history gives the
 * same answer, and a released test that turns flaky again is quarantined again.
 */
export function autoQuarantine(history: SuiteHistory, policy: FlakyPolicy): Map<string, string> {
  const byTest = new Map<string, (HistoryTest["status"] | undefined)[]>();
  for (const run of history.runs) {
    for (const t of run.tests) {
      const list = byTest.get(t.id) ?? [];
      if (list.length < policy.window) list.push(outcomeOf(t));
      byTest.set(t.id, list);
    }
  }
  const out = new Map<string, string>();
  for (const [id, outcomes] of byTest) {
    const flaky = outcomes.filter((s) => s === "flaky").length;
    if (flaky <= policy.threshold) continue;
    const ran = outcomes.filter((s) => s !== "skipped");
    const recent = ran.slice(0, policy.release);
    if (policy.release > 0 && recent.length === policy.release && recent.every((s) => s === "passed")) continue;
    out.set(id, `flaky in ${flaky} of the last ${outcomes.length} runs`);
  }
  return out;
}
