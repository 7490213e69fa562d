// Watch mode's driver: feeds changes, the debounce timer and round ends to the pure stepWatch and
// carries out its effects (the one timer through the injected SetTimer, rounds through run()'s
// AbortSignal). I/O-free itself: the file watcher and the rounds are passed in.
import type { SetTimer, Timer } from "../../timers.js";
import { initialWatch, stepWatch, type WatchEffect, type WatchInput } from "./state.js";

export const DEFAULT_DEBOUNCE_MS = 300;

export interface WatchLoopDeps {
  setTimer: SetTimer;
  debounceMs: number;
  /** Round n to its end; resolves with its exit code (130 when the signal cancelled it). A throw ends watch mode. */
  round(n: number, signal: AbortSignal): Promise<number>;
}

export interface WatchLoop {
  /** A relevant file changed (ignored files are filtered out before). */
  change(): void;
  /** Ctrl-C: cancel the running round, start none, and end. */
  stop(): void;
  /** The exit code of the last round, or 130 when interrupted mid-round. */
  done: Promise<number>;
}

export function watchLoop(deps: WatchLoopDeps): WatchLoop {
  const initial = initialWatch();
  let state = initial.state;
  let timer: Timer | undefined;
  let controller: AbortController | undefined;
  let rounds = 0;
  let ended = false;
  let settle!: (code: number) => void;
  let fail!: (err: unknown) => void;
  const done = new Promise<number>((res, rej) => {
    settle = res;
    fail = rej;
  });

  const feed = (input: WatchInput) => {
    if (ended) return;
    const r = stepWatch(state, input);
    state = r.state;
    r.effects.forEach(apply);
  };
  const apply = (e: WatchEffect) => {
    switch (e.type) {
      case "arm":
        timer?.cancel();
        timer = deps.setTimer(() => {
          timer = undefined;
          feed({ type: "quiet" });
        }, deps.debounceMs);
        return;
      case "disarm":
        timer?.cancel();
        timer = undefined;
        return;
      case "abort":
        controller?.abort();
        return;
      case "start": {
        const c = new AbortController();
        controller = c;
        deps.round(++rounds, c.signal).then(
          (exitCode) => feed({ type: "finished", exitCode }),
          (err: unknown) => end(() => fail(err)),
        );
        return;
      }
      case "exit":
        end(() => settle(e.exitCode));
        return;
    }
  };
  const end = (how: () => void) => {
    ended = true;
    timer?.cancel();
    timer = undefined;
    how();
  };
  initial.effects.forEach(apply);
  return { change: () => feed({ type: "change" }), stop: () => feed({ type: "stop" }), done };
}
