// What a run tells the user when the API server stops answering mid-run and when it is back.
// The watches and log follows retry on their own (kind-watch, log-follower); this only turns the
// port's connectivity changes into two notes, so an outage is neither silent nor one line per
// retry. Pure: the session (cluster-session.ts) passes the clock.
import type { Connectivity } from "../kube/port.js";

export interface ReachState {
  /** When the server stopped answering; undefined while it answers. */
  downSince?: number;
}

export interface ReachNote {
  level: "warning" | "info";
  text: string;
}

const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))}s`;

/** The next state and the note to print, if the change is news (a repeat of the same state is not). */
export function connectivityStep(state: ReachState, change: Connectivity, now: number, server: string): { state: ReachState; note?: ReachNote } {
  if (!change.reachable) {
    if (state.downSince !== undefined) return { state };
    return {
      state: { downSince: now },
      note: {
        level: "warning",
        text: `API server ${server} unreachable (${change.error.message}); retrying… the Jobs keep running in the cluster meanwhile`,
      },
    };
  }
  if (state.downSince === undefined) return { state };
  const text = `reconnected to the API server after ${seconds(now - state.downSince)}; watches and log follows resume where they stopped`;
  return { state: {}, note: { level: "info", text } };
}
