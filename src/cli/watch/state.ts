// Watch mode's decisions, pure: (state, input) → (state, effects). A change debounces the next
// round; a change during a round cancels it; the next round starts only once the cancelled one
// has finished (its objects deleted) and the tree has been quiet for the debounce time.
export interface WatchState {
  /** A round is in progress. */
  running: boolean;
  /** The running round was cancelled by a change (its verdict does not count). */
  stale: boolean;
  /** The debounce timer is pending. */
  settling: boolean;
  /** Files changed since the last round started. */
  pending: boolean;
  /** Ctrl-C: no new round; exit when the running one has finished. */
  stopping: boolean;
  /** The exit code of the last round that was not cancelled by a change. */
  lastExit?: number;
}

export type WatchInput =
  | { type: "change" }
  /** The debounce timer fired: no change for the debounce time. */
  | { type: "quiet" }
  | { type: "finished"; exitCode: number }
  | { type: "stop" };

export type WatchEffect =
  /** (Re)start the debounce timer. */
  | { type: "arm" }
  | { type: "disarm" }
  | { type: "start" }
  /** Cancel the running round through its AbortSignal. */
  | { type: "abort" }
  | { type: "exit"; exitCode: number };

/** Interrupted before any round had a verdict. */
export const INTERRUPTED_EXIT = 130;

/** Watch mode begins with a round of the tree as it is. */
export function initialWatch(): { state: WatchState; effects: WatchEffect[] } {
  return { state: { running: true, stale: false, settling: false, pending: false, stopping: false }, effects: [{ type: "start" }] };
}

export function stepWatch(s: WatchState, input: WatchInput): { state: WatchState; effects: WatchEffect[] } {
  switch (input.type) {
    case "change": {
      if (s.stopping) return { state: s, effects: [] };
      const cancel = s.running && !s.stale;
      return {
        state: { ...s, settling: true, pending: true, stale: s.stale || s.running },
        effects: [{ type: "arm" }, ...(cancel ? [{ type: "abort" } as const] : [])],
      };
    }
    case "quiet": {
      const next = { ...s, settling: false };
      if (s.running || !s.pending || s.stopping) return { state: next, effects: [] };
      return { state: { ...next, running: true, stale: false, pending: false }, effects: [{ type: "start" }] };
    }
    case "finished": {
      const lastExit = s.stale ? s.lastExit : input.exitCode;
      const idle: WatchState = { ...s, running: false, stale: false, ...(lastExit !== undefined ? { lastExit } : {}) };
      // Ctrl-C aborted the round: its verdict (130, or its own if it had just ended) is the exit code.
      if (s.stopping) return { state: idle, effects: [{ type: "exit", exitCode: input.exitCode }] };
      if (s.pending && !s.settling) return { state: { ...idle, running: true, pending: false }, effects: [{ type: "start" }] };
      return { state: idle, effects: [] };
    }
    case "stop": {
      if (s.stopping) return { state: s, effects: [] };
      const next = { ...s, stopping: true, settling: false };
      if (s.running) return { state: next, effects: [{ type: "disarm" }, { type: "abort" }] };
      return { state: next, effects: [{ type: "disarm" }, { type: "exit", exitCode: s.lastExit ?? INTERRUPTED_EXIT }] };
    }
  }
}
