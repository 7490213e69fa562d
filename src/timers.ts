// The one timer abstraction: a cancellable timeout, injected (tests pass a fake clock). A run
// sets every timer through a TimerScope and disposes it at the end, so a finished run leaves no
// handle open and the process exits on its own. A leaf (it imports nothing), below kube/: the
// client, the engine, notify/, debug/ and the CLI all set their timers through it.
export interface Timer {
  cancel(): void;
}

export type SetTimer = (fn: () => void, ms: number) => Timer;

export const realSetTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, ms);
  return { cancel: () => clearTimeout(t) };
};

/** Timers that belong to one owner (a run, a `logs` command): dispose() clears every one still pending. */
export class TimerScope {
  private readonly live = new Set<Timer>();
  private disposed = false;
  private readonly base: SetTimer;

  constructor(base: SetTimer = realSetTimer) {
    this.base = base;
  }

  /** Same shape as SetTimer; after dispose() it sets nothing. */
  readonly set: SetTimer = (fn, ms) => {
    if (this.disposed) return { cancel: () => undefined };
    const t: Timer = this.base(() => {
      this.live.delete(t);
      fn();
    }, ms);
    this.live.add(t);
    return {
      cancel: () => {
        t.cancel();
        this.live.delete(t);
      },
    };
  };

  get pending(): number {
    return this.live.size;
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.live) t.cancel();
    this.live.clear();
  }
}
