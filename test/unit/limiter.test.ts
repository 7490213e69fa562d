// The one limiter (src/limiter.ts): never more holders than its limit, waiters served by priority
// then in order, a waiter that gives up (abort) leaves the queue, and a release hands the slot on
// at once (no polling: no timer is involved at all).
import { describe, expect, it } from "vitest";
import { Limiter } from "../../src/limiter.js";
import type { Slot } from "../../src/limiter.js";

const tick = () => new Promise((r) => setImmediate(r));

describe("Limiter", () => {
  it("grants at most `limit` slots; each release hands one to the next waiter, first come first served", async () => {
    const l = new Limiter(2);
    const order: number[] = [];
    const slots: Slot[] = [];
    const all = Array.from({ length: 6 }, (_, i) =>
      l.acquire().then((s) => {
        order.push(i);
        if (s) slots.push(s);
      }),
    );
    await tick();
    expect(order).toEqual([0, 1]);
    expect([l.holders, l.waiters]).toEqual([2, 4]);
    slots[0]?.release();
    slots[0]?.release(); // a second release is a no-op: still one slot handed on
    await tick();
    expect(order).toEqual([0, 1, 2]);
    expect(l.holders).toBe(2);
    for (let i = 1; i < 6; i++) {
      slots[i]?.release();
      await tick();
    }
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(l.holders).toBe(0);
    expect(l.stats).toEqual({ granted: 6, peakActive: 2, peakWaiting: 4 });
  });

  it("serves a higher priority first, equal priorities in the order they asked", async () => {
    const l = new Limiter(1);
    const first = await l.acquire();
    const order: string[] = [];
    const wait = (name: string, priority: number) => l.acquire({ priority }).then((s) => (order.push(name), s?.release()));
    const done = Promise.all([wait("bulk-1", 0), wait("bulk-2", 0), wait("decision-1", 1), wait("bulk-3", 0), wait("decision-2", 1)]);
    first?.release();
    await done;
    expect(order).toEqual(["decision-1", "decision-2", "bulk-1", "bulk-2", "bulk-3"]);
  });

  it("a waiter whose signal aborts gets no slot and leaves the queue; one aborted before asking gets none either", async () => {
    const l = new Limiter(1);
    const held = await l.acquire();
    const c = new AbortController();
    const gone = l.acquire({ signal: c.signal });
    const next = l.acquire();
    expect(l.waiters).toBe(2);
    c.abort();
    expect(await gone).toBeUndefined();
    expect(l.waiters).toBe(1);
    expect(await l.acquire({ signal: c.signal })).toBeUndefined();
    held?.release();
    const s = await next;
    expect(s).toBeDefined();
    expect(l.holders).toBe(1);
    s?.release();
    expect(l.holders).toBe(0);
  });

  it("refuses a limit that is not a whole number of at least 1", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new Limiter(bad)).toThrow(RangeError);
  });
});
