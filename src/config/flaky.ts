// `quarantine:` (in defaults or a suite) and `flaky:` (the automatic policy), and `shards: auto`'s
// companions: what a user may write about tests that are known to flake, or take long. The engine
// decides with history/quarantine.ts and history/shards.ts.
import * as z from "zod/mini";
import { describe, duration, shown, strict, text, deferred } from "./fields.js";

export const QUARANTINE_MAX = 500;
export const FLAKY_WINDOW_MAX = 500;
export const NEW_TESTS_MAX = 10;

const until = deferred(() =>
  z.string({ error: (iss) => `expected a date like 2026-12-31 or an ISO 8601 time, got ${shown(iss.input)}` }).check(
    z.refine((s) => /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && Number.isFinite(Date.parse(s)), {
      error: (iss) => `expected a date like 2026-12-31 or an ISO 8601 time like 2026-12-31T18:00:00Z, got ${shown(iss.input)}`,
    }),
  ),
);

const entry = deferred(() =>
  strict({
    test: describe(
      text("a test id like tests/test_x.py::test_y, or a glob like tests/test_x.py::*"),
      "The test's id (as -o json names it), or a glob: * any characters, ? one.",
    ),
    reason: describe(
      text("why, e.g. a ticket: flaky on slow nodes, JIRA-123"),
      "Why it is quarantined: shown with its result, the annotation and the JUnit case.",
    ),
    until: describe(z.optional(until), "The end of the quarantine: a date (through that day, UTC) or an ISO 8601 time. After it the test counts again."),
  }),
);

export const quarantineSchema = deferred(() =>
  describe(
    z
      .array(entry, { error: (iss) => `expected a list of {test, reason, until?}, got ${shown(iss.input)}` })
      .check(z.maxLength(QUARANTINE_MAX, { error: `expected at most ${QUARANTINE_MAX} entries` })),
    "Tests that still run and are reported (status quarantined, with what they did) but do not fail the suite or change the exit code. " +
      "defaults' entries and the suite's both apply.",
  ),
);

function whole(min: number, max: number, what: string) {
  const message = (iss: { input?: unknown }) => `expected ${what}, a whole number from ${min} to ${max}, got ${shown(iss.input)}`;
  return z.number({ error: message }).check(z.int({ error: message }), z.gte(min, { error: message }), z.lte(max, { error: message }));
}

export const flakySchema = deferred(() =>
  describe(
    strict({
      quarantine: describe(
        z.optional(z.enum(["auto", "off"], { error: (iss) => `expected auto or off, got ${shown(iss.input)}` })),
        "auto: a test flaky in more than threshold of its last window runs (the run history) is quarantined, until its last release runs passed. Default off.",
      ),
      window: describe(z.optional(whole(1, FLAKY_WINDOW_MAX, "a number of runs")), "How many of a test's most recent runs are looked at. Default 20."),
      threshold: describe(
        z.optional(whole(0, FLAKY_WINDOW_MAX, "a number of runs")),
        "Quarantined when flaky in more than this many of those runs. Default 2.",
      ),
      release: describe(z.optional(whole(0, FLAKY_WINDOW_MAX, "a number of runs")), "Released after this many clean (passed) runs in a row. Default 5."),
      newTests: describe(
        z.optional(whole(0, NEW_TESTS_MAX, "a number of reruns")),
        "New-flake detection: tests the run history has never seen (and that passed) are rerun this many more times, each time as a " +
          "retry attempt of only those ids; one that does not pass every time is flaky. Default 0 (off).",
      ),
    }),
    "Flaky tests across runs, from the run history: the automatic quarantine.",
  ),
);

export const DEFAULT_MAX_AUTO_SHARDS = 10;
export const DEFAULT_TARGET_DURATION = "5m";
export const DEFAULT_FLAKY = { quarantine: "off", window: 20, threshold: 2, release: 5, newTests: 0 } as const;

export const targetDurationSchema = describe(
  duration,
  `With shards: auto, the test time each shard should take (from the run history's median durations): 5m, 90s. Default ${DEFAULT_TARGET_DURATION}.`,
);


export const maxShardsSchema = (max: number) =>
  describe(whole(1, max, "a number of shards"), `With shards: auto, the most shards it may pick. Default ${DEFAULT_MAX_AUTO_SHARDS}.`);

