// Watch mode's decisions (pure stepWatch) and its driver with a hand-driven clock and rounds that
// end when the test says: debounce, cancel on change, no overlap, Ctrl-C, every timer cleared.
import { describe, expect, it } from "vitest";
import { watchLoop } from "../../../../src/cli/watch/loop.js";
import { initialWatch, stepWatch, type WatchInput, type WatchState } from "../../../../src/cli/watch/state.js";
import { dirsOf, isExcluded } from "../../../../src/cli/watch/tree.js";
import { verdictLine } from "../../../../src/cli/watch/verdict.js";
import type { SetTimer } from "../../../../src/timers.js";

/** Timers that fire only when the test advances the clock. */
class FakeClock {
  now = 0;
  private timers: { at: number; fn: () => void; live: boolean }[] = [];
  readonly set: SetTimer = (fn, ms) => {
    const t = { at: this.now + ms, fn, live: true };
    this.timers.push(t);
    return { cancel: () => void (t.live = false) };
  };
  advance(ms: number): void {
    this.now += ms;
    for (const t of this.timers.filter((x) => x.live && x.at <= this.now)) {
      t.live = false;
      t.fn();
    }
  }
  get pending(): number {
    return this.timers.filter((t) => t.live).length;
  }
}

/** Rounds the test ends by hand; each records whether its signal was aborted. */
function rounds() {
  const started: { n: number; signal: AbortSignal; end(code: number): void }[] = [];
  const round = (n: number, signal: AbortSignal) =>
    new Promise<number>((resolve) => {
      started.push({ n, signal, end: resolve });
      // A cancelled round ends by itself, as run() does after deleting its objects.
      signal.addEventListener("abort", () => queueMicrotask(() => resolve(130)));
    });
  return { started, round };
}

const tick = () => new Promise((r) => setImmediate(r));

function replay(inputs: WatchInput[]): { state: WatchState; effects: string[] } {
  const first = initialWatch();
  let state = first.state;
  const all = first.effects.map((e) => e.type as string);
  for (const i of inputs) {
    const r = stepWatch(state, i);
    state = r.state;
    all.push(...r.effects.map((e) => (e.type === "exit" ? `exit ${e.exitCode}` : e.type)));
  }
  return { state, effects: all };
}

describe("stepWatch", () => {
  it("starts with a round; a change after it debounces the next", () => {
    expect(replay([{ type: "finished", exitCode: 0 }, { type: "change" }, { type: "change" }, { type: "quiet" }]).effects).toEqual(["start", "arm", "arm", "start"]);
  });

  it("a change during a round cancels it once; the next starts when it has finished and the tree is quiet", () => {
    const quietFirst = replay([{ type: "change" }, { type: "change" }, { type: "quiet" }, { type: "finished", exitCode: 130 }]);
    expect(quietFirst.effects).toEqual(["start", "arm", "abort", "arm", "start"]);
    const finishedFirst = replay([{ type: "change" }, { type: "finished", exitCode: 130 }, { type: "quiet" }]);
    expect(finishedFirst.effects).toEqual(["start", "arm", "abort", "start"]);
  });

  it("a cancelled round's verdict is not the last exit code", () => {
    const r = replay([{ type: "finished", exitCode: 1 }, { type: "change" }, { type: "quiet" }, { type: "change" }, { type: "finished", exitCode: 130 }]);
    expect(r.state.lastExit).toBe(1);
  });

  it("Ctrl-C: idle exits with the last round's code; mid-round aborts and exits with that round's", () => {
    expect(replay([{ type: "finished", exitCode: 1 }, { type: "stop" }]).effects).toEqual(["start", "disarm", "exit 1"]);
    expect(replay([{ type: "stop" }, { type: "change" }, { type: "finished", exitCode: 130 }]).effects).toEqual(["start", "disarm", "abort", "exit 130"]);
    // Changes seen but not yet run: none starts after Ctrl-C.
    expect(replay([{ type: "finished", exitCode: 0 }, { type: "change" }, { type: "stop" }, { type: "quiet" }]).effects).toEqual(["start", "arm", "disarm", "exit 0"]);
  });
});

describe("watchLoop", () => {
  it("debounces a burst of changes into one round, after the debounce time", async () => {
    const clock = new FakeClock();
    const r = rounds();
    const loop = watchLoop({ setTimer: clock.set, debounceMs: 300, round: r.round });
    r.started[0]?.end(0);
    await tick();
    loop.change();
    clock.advance(200);
    loop.change();
    clock.advance(299);
    expect(r.started).toHaveLength(1);
    clock.advance(1);
    expect(r.started.map((x) => x.n)).toEqual([1, 2]);
    r.started[1]?.end(1);
    await tick();
    loop.stop();
    expect(await loop.done).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it("a change during a round aborts its signal; the next round waits for it to end", async () => {
    const clock = new FakeClock();
    const started: { n: number; signal: AbortSignal; end(code: number): void }[] = [];
    // This round ignores its signal until the test ends it: cleanup that takes time.
    const loop = watchLoop({ setTimer: clock.set, debounceMs: 300, round: (n, signal) => new Promise<number>((end) => started.push({ n, signal, end })) });
    loop.change();
    expect(started[0]?.signal.aborted).toBe(true);
    clock.advance(300);
    expect(started).toHaveLength(1); // no overlap: round 1 is still deleting its objects
    started[0]?.end(130);
    await tick();
    expect(started.map((x) => x.n)).toEqual([1, 2]);
    expect(started[1]?.signal.aborted).toBe(false);
    started[1]?.end(0);
    await tick();
    loop.stop();
    expect(await loop.done).toBe(0);
  });

  it("Ctrl-C mid-round: the round is aborted, the exit code is its 130, and no timer is left", async () => {
    const clock = new FakeClock();
    const r = rounds();
    const loop = watchLoop({ setTimer: clock.set, debounceMs: 300, round: r.round });
    loop.change();
    loop.stop();
    expect(await loop.done).toBe(130);
    expect(clock.pending).toBe(0);
    clock.advance(1000);
    expect(r.started).toHaveLength(1);
  });

  it("a round that throws ends watch mode with its error", async () => {
    const clock = new FakeClock();
    const loop = watchLoop({ setTimer: clock.set, debounceMs: 300, round: () => Promise.reject(new Error("usage")) });
    await expect(loop.done).rejects.toThrow("usage");
  });
});

describe("what is watched", () => {
  it("the directories of git's files, never .git/, .incluster/ or the report dir", () => {
    expect(dirsOf(["a.py", "tests/e2e/t.py", "tests/x.py", ".incluster/runs/r/x.log", "out/r/x"], ["out"])).toEqual(["", "tests", "tests/e2e"]);
    expect(isExcluded(".git/index", [])).toBe(true);
    expect(isExcluded(".gitignore", [])).toBe(false);
  });
});

describe("verdictLine", () => {
  const base = { round: 3, suites: [{ suite: "smoke", verdict: "failed" as const }], names: ["smoke"], ms: 4120, cancelled: false };
  it("one line per round", () => {
    expect(verdictLine({ ...base, exitCode: 1 })).toBe("round 3: FAILED smoke (4.1s) — exit 1");
    expect(verdictLine({ ...base, exitCode: 2, suites: [{ suite: "smoke", verdict: "couldNotRun" }] })).toBe("round 3: INVALID CONFIG smoke (4.1s) — exit 2");
    expect(verdictLine({ ...base, exitCode: 130, cancelled: true })).toBe("round 3: CANCELLED smoke (4.1s) — a file changed");
    expect(verdictLine({ ...base, exitCode: 1, suites: [...base.suites, { suite: "api", verdict: "passed" }], names: ["smoke", "api"] })).toBe("round 3: FAILED smoke failed, api passed (4.1s) — exit 1");
  });
});
