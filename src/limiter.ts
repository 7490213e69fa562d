// The one concurrency limiter: at most `limit` holders at once; the others wait in a queue
// (a higher priority first, then first come) and each is handed its slot by a release, never by
// polling. The transport caps its unary requests with it (kube/transport.ts), the engine its
// artifact copies, each one pods/exec WebSocket connection of its own (run/copy-slots.ts). A
// leaf (it imports nothing): kube/ and run/ both use it.

/** A held slot; release() hands it to the next waiter (a second call does nothing). */
export interface Slot {
  release(): void;
}

export interface AcquireOptions {
  /** Higher goes first; equal priorities in the order they asked. Default 0. */
  priority?: number;
  /** Aborted while waiting: the place in the queue is given up and acquire resolves undefined. */
  signal?: AbortSignal;
}

export interface LimiterStats {
  /** Slots handed out. */
  granted: number;
  /** Most holders at once (never above the limit). */
  peakActive: number;
  /** Most waiters at once. */
  peakWaiting: number;
}

interface Waiter {
  priority: number;
  grant(slot: Slot | undefined): void;
}

export class Limiter {
  readonly limit: number;
  readonly stats: LimiterStats = { granted: 0, peakActive: 0, peakWaiting: 0 };
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a limiter needs a whole number of at least 1, got ${limit}`);
    this.limit = limit;
  }

  get holders(): number {
    return this.active;
  }

  get waiters(): number {
    return this.waiting.length;
  }

  /** A slot now if one is free, else once one is released to this caller; undefined if `signal` aborts first. */
  acquire(o: AcquireOptions = {}): Promise<Slot | undefined> {
    if (o.signal?.aborted) return Promise.resolve(undefined);
    if (this.active < this.limit && this.waiting.length === 0) return Promise.resolve(this.take());
    return new Promise((resolve) => {
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i !== -1) this.waiting.splice(i, 1);
        resolve(undefined);
      };
      const waiter: Waiter = {
        priority: o.priority ?? 0,
        grant: (slot) => {
          o.signal?.removeEventListener("abort", onAbort);
          resolve(slot);
        },
      };
      // After the last waiter of the same or a higher priority: first come, first served within one.
      const at = this.waiting.findIndex((w) => w.priority < waiter.priority);
      this.waiting.splice(at === -1 ? this.waiting.length : at, 0, waiter);
      this.stats.peakWaiting = Math.max(this.stats.peakWaiting, this.waiting.length);
      o.signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  private take(): Slot {
    this.active++;
    this.stats.granted++;
    this.stats.peakActive = Math.max(this.stats.peakActive, this.active);
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.active--;
        this.waiting.shift()?.grant(this.take());
      },
    };
  }
}
