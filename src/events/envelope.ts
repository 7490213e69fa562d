// The run's one envelope factory: every event of a run gets its version, run id and time here,
// from the run's injected clock (never a module's own `new Date()`), so a test can fix the clock
// and every producer (the stages, report.html, notifications, OTLP) stamps with the same one.
import { EVENTS_VERSION } from "./types.js";
import type { EventBody, EventSink, RunEvent } from "./types.js";

/** Milliseconds since the epoch, like Date.now (the default). */
export type Clock = () => number;

/** Hands an event over as a producer has it: the envelope is added by the run. */
export type Emit = (body: EventBody) => void;

/** Wraps a body in the run's envelope. The stamp is formatted once per millisecond, not once per event (log lines come in bursts). */
export function envelopeFactory(runId: string, now: Clock): (body: EventBody) => RunEvent {
  let stampedAt = NaN;
  let stamp = "";
  return (body) => {
    const at = now();
    if (at !== stampedAt) stamp = new Date((stampedAt = at)).toISOString();
    return { v: EVENTS_VERSION, ts: stamp, runId, ...body } as RunEvent;
  };
}

/** An Emit that stamps each body and hands the event to the sink. */
export function stamped(runId: string, now: Clock, sink: EventSink): Emit {
  const envelope = envelopeFactory(runId, now);
  return (body) => sink(envelope(body));
}
