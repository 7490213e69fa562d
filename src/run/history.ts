// The run's history I/O (the store is passed in: src/history/): every suite's history read once
// after the preflight, for the run's context (the trends here; quarantine and shard balance read
// it from RunContext.histories), and the run's records written at its end, before run.finished.
// A store that cannot be read or written is one warning, never a change of verdict. An
// interrupted run writes nothing: its suites were cut, not judged.
import type { Emit } from "../events/envelope.js";
import { omittedText } from "../history/bound.js";
import { HISTORY_MAX_BYTES } from "../history/codec.js";
import type { AppendOutcome, HistoryStore } from "../history/store.js";
import type { SuiteHistory } from "../history/model.js";
import { historyRun } from "../history/record.js";
import type { KubeError } from "../kube/port.js";
import type { RunResult } from "../results/run-result.js";
import type { SetTimer } from "../timers.js";

/** How long the run's end waits for its history writes (they are retried on conflicts meanwhile). */
export const HISTORY_WRITE_MS = 20_000;

export interface RunHistory {
  store: HistoryStore;
  /** Runs kept per suite (history.keep). */
  keep: number;
}

const FIX = "grant configmaps get, list, create and update in the namespace (incluster render prints the Role), or set history.store: none";

/** Every suite's history; an empty map when there is no store or it cannot be read (one warning). */
export async function readHistories(
  h: RunHistory | undefined,
  suites: readonly string[],
  emit: Emit,
): Promise<{ histories: ReadonlyMap<string, SuiteHistory>; readable: boolean }> {
  if (!h) return { histories: new Map(), readable: false };
  const { kind: store, where } = h.store;
  try {
    const { histories, problems } = await h.store.read(suites);
    for (const p of problems) emit({ type: "run.note", level: "warning", text: `history: ${p}; that suite starts a new history` });
    emit({ type: "history.read", store, where, suites: suites.map((suite) => ({ suite, runs: histories.get(suite)?.runs.length ?? 0 })) });
    return { histories, readable: true };
  } catch (err) {
    const problem = problemText(err);
    emit({ type: "history.read", store, where, suites: [], problem });
    emit({ type: "run.note", level: "warning", text: `history: could not read it (${store}, ${where}): ${problem}; the run goes on without it — fix: ${FIX}` });
    return { histories: new Map(), readable: false };
  }
}

/** Adds the run's record to each suite's history; a failure is one warning. Waits at most HISTORY_WRITE_MS. */
export async function writeHistories(h: RunHistory, result: RunResult, o: { emit: Emit; setTimer: SetTimer }): Promise<void> {
  const writes = result.suites.flatMap((s) => {
    const run = historyRun(result.runId, s);
    if (!run) return [];
    // A run too large for one object lands bounded: one warning says what its record left out.
    const landed = (a: AppendOutcome) => {
      if (a.omitted) o.emit({ type: "run.note", level: "warning", text: omittedText(s.suite, run.tests.length, a.omitted, HISTORY_MAX_BYTES) });
    };
    return [h.store.append(s.suite, run, h.keep).then(landed, (err: unknown) => `${s.suite}: ${problemText(err)}`)];
  });
  if (!writes.length) return;
  let timer: { cancel(): void } | undefined;
  const late = new Promise<"late">((resolve) => (timer = o.setTimer(() => resolve("late"), HISTORY_WRITE_MS)));
  const outcome = await Promise.race([Promise.all(writes), late]);
  timer?.cancel();
  const failed = outcome === "late" ? [`not written within ${HISTORY_WRITE_MS / 1000}s`] : outcome.filter((x): x is string => x !== undefined);
  if (failed.length) emit(o.emit, h, failed);
}

function emit(e: Emit, h: RunHistory, failed: readonly string[]): void {
  e({ type: "run.note", level: "warning", text: `history: could not record this run (${h.store.kind}, ${h.store.where}): ${failed.join("; ")} — fix: ${FIX}` });
}

/** A store's error in one line: a KubeError's status and reason before its message (403 Forbidden: …). */
function problemText(err: unknown): string {
  if (err instanceof Error) return err.message;
  const k = err as Partial<KubeError> | undefined;
  const head = [k?.status, k?.reason].filter((x) => x !== undefined && x !== "").join(" ");
  return `${head ? `${head}: ` : ""}${k?.message ?? String(err)}`;
}
