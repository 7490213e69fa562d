// `history:`: where a suite's memory across runs is kept (src/history/) and how many runs of it.
// The store is one string so that the flag (--history) and the file say it the same way.
import * as z from "zod/mini";
import { describe, shown, strict, deferred } from "./fields.js";

export const DEFAULT_HISTORY_STORE = "cluster";
export const DEFAULT_HISTORY_KEEP = 50;
export const HISTORY_KEEP_MAX = 500;
const DIR_PREFIX = "dir:";

/** Where history lives: ConfigMaps in the suites' namespace, nowhere, or one file per suite in a folder. */
export type HistoryStoreSpec = { kind: "cluster" } | { kind: "none" } | { kind: "dir"; path: string };

const STORE_EXPECTED = "expected cluster, none or dir:<path> (e.g. dir:.incluster/history)";

/** The store a string names, or undefined when it names none. Pure. */
export function parseHistoryStore(s: string): HistoryStoreSpec | undefined {
  if (s === "cluster" || s === "none") return { kind: s };
  if (s.startsWith(DIR_PREFIX) && s.length > DIR_PREFIX.length) return { kind: "dir", path: s.slice(DIR_PREFIX.length) };
  return undefined;
}

/** What a wrong store string is told (the flag's and the field's message). */
export function historyStoreProblem(s: string): string | undefined {
  return parseHistoryStore(s) ? undefined : `${STORE_EXPECTED}, got ${shown(s)}`;
}

const store = deferred(() =>
  describe(
    z.string({ error: (iss) => `${STORE_EXPECTED}, got ${shown(iss.input)}` }).check(
      z.superRefine((s, ctx) => {
        const p = historyStoreProblem(s);
        if (p) ctx.addIssue({ code: "custom", message: p });
      }),
    ),
    "Where each suite's run history is kept: cluster (one ConfigMap per suite in its namespace, labelled " +
      "app.kubernetes.io/managed-by=incluster; needs configmaps get, list, create, update), none, or dir:<path> " +
      "(one file per suite, relative to incluster.yaml's folder). Default cluster. Overridden by --history.",
  ),
);

const keepMessage = (iss: { input?: unknown }) => `expected a whole number of runs from 1 to ${HISTORY_KEEP_MAX}, got ${shown(iss.input)}`;
const keep = deferred(() =>
  describe(
    z.number({ error: keepMessage }).check(z.int({ error: keepMessage }), z.gte(1, { error: keepMessage }), z.lte(HISTORY_KEEP_MAX, { error: keepMessage })),
    `How many runs of each suite history keeps; older runs roll off. Default ${DEFAULT_HISTORY_KEEP}.`,
  ),
);

export const historySchema = deferred(() =>
  describe(
    strict({ store: z.optional(store), keep: z.optional(keep) }),
    "The run history incluster keeps per suite (flake rates, durations, new versus known failures; incluster history prints it).",
  ),
);
