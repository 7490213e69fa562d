// The follower is driven by the pod watch's signal: no reopen loop while the container runs,
// the final read when the watch shows it terminated, and a follow that never ends (a simulated
// node) is cut after a grace.
import { describe, expect, it } from "vitest";
import type { LogHandlers, LogRequest, WatchHandle } from "../../../src/kube/port.js";
import { IDLE_RESUME_MAX_MS, IDLE_RESUME_MS, LogFollower, TERMINATED_GRACE_MS } from "../../../src/follow/log-follower.js";
import type { CatchUp, CatchUpCause } from "../../../src/follow/log-follower.js";
import { catchUpWhileCopyComes, newPodEcho } from "../../../src/run/pod-echo.js";
import type { SetTimer } from "../../../src/timers.js";

/** Timers that fire only when the test advances the clock. */
class ManualTimers {
  now = 0;
  private pending: { at: number; fn: () => void; live: boolean }[] = [];
  readonly set: SetTimer = (fn, ms) => {
    const t = { at: this.now + ms, fn, live: true };
    this.pending.push(t);
    return { cancel: () => (t.live = false) };
  };
  advance(ms: number): void {
    this.now += ms;
    for (const t of [...this.pending].sort((a, b) => a.at - b.at)) {
      if (t.live && t.at <= this.now) {
        t.live = false;
        t.fn();
      }
    }
    this.pending = this.pending.filter((t) => t.live);
  }
  get count(): number {
    return this.pending.filter((t) => t.live).length;
  }
}

/** Only what a follower uses of the port: log requests, kept for the test to answer. */
function logPort() {
  const requests: { req: LogRequest; handlers: LogHandlers; stopped: boolean }[] = [];
  const port = {
    logs(req: LogRequest, handlers: LogHandlers): WatchHandle {
      const r = { req, handlers, stopped: false };
      requests.push(r);
      return { stop: () => (r.stopped = true) };
    },
  };
  return { port: port as never, requests };
}

const target = { namespace: "ns", pod: "p", container: "test-runner" };

function follower() {
  const timers = new ManualTimers();
  const { port, requests } = logPort();
  const lines: string[] = [];
  const f = new LogFollower(port, target, { onLine: (l) => lines.push(l), setTimer: timers.set });
  return { f, timers, requests, lines };
}

describe("LogFollower", () => {
  it("does not reopen a follow that ended before the container did; the watch's signal starts the final read", async () => {
    const { f, timers, requests, lines } = follower();
    f.start();
    requests[0]?.handlers.onData("2026-11-26T00:00:01.000000001Z one\n");
    requests[0]?.handlers.onClose(undefined);
    timers.advance(IDLE_RESUME_MS - 1);
    expect(requests).toHaveLength(1);
    f.containerTerminated();
    expect(requests).toHaveLength(2);
    expect(requests[1]?.req).toMatchObject({ follow: false, sinceTime: "2026-11-26T00:00:01Z" });
    requests[1]?.handlers.onData("2026-11-26T00:00:01.000000001Z one\n2026-11-26T00:00:02.000000001Z two\n");
    requests[1]?.handlers.onClose(undefined);
    await f.done;
    expect(lines).toEqual(["one", "two"]);
    expect(timers.count).toBe(0);
  });

  it("resumes a follow cut while the container still runs, slowly, from the last timestamp", () => {
    const { f, timers, requests } = follower();
    f.start();
    requests[0]?.handlers.onData("2026-11-26T00:00:01.000000001Z one\n");
    requests[0]?.handlers.onClose(undefined);
    timers.advance(IDLE_RESUME_MS);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.req).toMatchObject({ follow: true, sinceTime: "2026-11-26T00:00:01Z" });
    f.stop();
  });

  it("a server that ends every follow at once with nothing new: resumes after 2, 4, 8, 16, 16 s", () => {
    const { f, timers, requests } = follower();
    f.start();
    requests[0]?.handlers.onData("2026-11-26T00:00:01.000000001Z one\n");
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const n = requests.length;
      requests[n - 1]?.handlers.onClose(undefined);
      let waited = 0;
      while (requests.length === n && waited < 60_000) {
        timers.advance(1000);
        waited += 1000;
      }
      waits.push(waited);
      // The reopened follow replays what was read: nothing new.
      requests.at(-1)?.handlers.onData("2026-11-26T00:00:01.000000001Z one\n");
    }
    expect(waits).toEqual([IDLE_RESUME_MS, 4000, 8000, IDLE_RESUME_MAX_MS, IDLE_RESUME_MAX_MS]);
    // A new line starts over at 2 s.
    requests.at(-1)?.handlers.onData("2026-11-26T00:00:05.000000001Z two\n");
    requests.at(-1)?.handlers.onClose(undefined);
    const n = requests.length;
    timers.advance(IDLE_RESUME_MS);
    expect(requests.length).toBe(n + 1);
    f.stop();
  });

  it("cuts a follow still open after the container terminated and reads the rest once", async () => {
    const { f, timers, requests, lines } = follower();
    f.start();
    requests[0]?.handlers.onData("2026-11-26T00:00:01.000000001Z one\n2026-11-26T00:00:01.000000002Z two");
    f.containerTerminated();
    timers.advance(TERMINATED_GRACE_MS);
    expect(requests[0]?.stopped).toBe(true);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.req.follow).toBe(false);
    requests[1]?.handlers.onData("2026-11-26T00:00:01.000000001Z one\n2026-11-26T00:00:01.000000002Z two\n2026-11-26T00:00:03.000000001Z three\n");
    requests[1]?.handlers.onClose(undefined);
    await f.done;
    expect(lines).toEqual(["one", "two", "three"]);
    expect(timers.count).toBe(0);
  });

  it("a follow that ends within the grace after termination is followed by one final read, no cut", async () => {
    const { f, timers, requests } = follower();
    f.start();
    f.containerTerminated();
    requests[0]?.handlers.onClose(undefined);
    timers.advance(0);
    expect(requests[0]?.stopped).toBe(false);
    expect(requests).toHaveLength(2);
    requests[1]?.handlers.onClose(undefined);
    await f.done;
    timers.advance(TERMINATED_GRACE_MS);
    expect(requests).toHaveLength(2);
  });
});

describe("LogFollower told to wait for the pod's copy (kwok's follows never end)", () => {
  it("asks again after each grace, and cuts for the final read once the copy declined", async () => {
    const timers = new ManualTimers();
    const { port, requests } = logPort();
    const asked: CatchUpCause[] = [];
    let how: CatchUp = "wait";
    const f = new LogFollower(port, target, { onLine: () => undefined, setTimer: timers.set, catchUp: (c) => (asked.push(c), how) });
    f.start();
    f.containerTerminated();
    timers.advance(TERMINATED_GRACE_MS);
    timers.advance(TERMINATED_GRACE_MS);
    expect(asked).toEqual(["grace", "grace"]);
    expect(requests[0]?.stopped).toBe(false);
    how = "read";
    timers.advance(TERMINATED_GRACE_MS);
    expect(requests[0]?.stopped).toBe(true);
    expect(requests[1]?.req.follow).toBe(false);
    requests[1]?.handlers.onClose(undefined);
    await f.done;
    expect(timers.count).toBe(0);
  });
});

describe("catchUpWhileCopyComes", () => {
  it("waits for the copy's header, hands a broken follow over, and reads once the copy declined", () => {
    expect(catchUpWhileCopyComes(newPodEcho(), "grace")).toBe("wait");
    const broke = newPodEcho();
    expect(catchUpWhileCopyComes(broke, "broke")).toBe("handOver");
    expect(broke.handedOver).toBe(true);
    const declined = { ...newPodEcho(), declined: true };
    expect(catchUpWhileCopyComes(declined, "grace")).toBe("read");
    expect(catchUpWhileCopyComes(declined, "broke")).toBe("read");
  });
});
