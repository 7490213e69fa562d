// schema/run-events.schema.json: generated from the RunEvent type (drift fails here), and every
// kind of event, with the richest results we have, valid against it (ajv, strict mode).
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../../src/events/types.js";
import { EVENTS_SCHEMA_FILE, eventsJsonSchemaText } from "../../../scripts/gen-events-schema.js";
import { sampleResult } from "../report/sample-result.js";

const committed = readFileSync(EVENTS_SCHEMA_FILE, "utf8");
const env = { v: 1 as const, ts: "2026-11-24T10:00:00.000Z", runId: "k3v9q" };

describe("schema/run-events.schema.json", () => {
  it("is what the RunEvent type generates (run npm run schema after changing src/events/types.ts)", () => {
    expect(committed, "schema/run-events.schema.json is stale: run npm run schema").toBe(eventsJsonSchemaText());
  }, 60_000);

  it("accepts one of each event, rejects an unknown type and an undocumented field", () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(JSON.parse(committed) as object);
    const events: RunEvent[] = [
      { ...env, type: "run.started", namespace: "e2e", context: "kind", suites: ["api"] },
      { ...env, type: "source.resolved", kind: "local", commit: "4b1e2c9", overlay: { files: 2, deleted: 1, bytes: 300 }, text: "local tree" },
      { ...env, type: "image.ready", suite: "api", ref: "r:5000/a:sha-1", action: "built", platform: "linux/amd64", buildMs: 1 },
      { ...env, type: "build.output", line: "STEP 1/3" },
      { ...env, type: "suite.phase", suite: "api", phase: "pulling", detail: "image" },
      { ...env, type: "suite.note", suite: "api", level: "verbose", text: "reconnected" },
      { ...env, type: "run.note", level: "warning", text: "disk full" },
      { ...env, type: "log", suite: "api", attempt: 2, shard: 0, pod: "p", container: "test-runner", kubeletTs: "2026-11-24T10:00:00.123456789Z", line: "ok" },
      ...sampleResult.suites.map((s): RunEvent => ({ ...env, type: "suite.verdict", suite: s.suite, result: JSON.parse(JSON.stringify(s)) })),
      { ...env, type: "run.finished", result: JSON.parse(JSON.stringify(sampleResult)) },
    ];
    for (const e of events) expect(validate(e), `${e.type}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
    expect(validate({ ...env, type: "run.paused" })).toBe(false);
    expect(validate({ ...env, type: "build.output", line: "x", extra: 1 })).toBe(false);
  });
});
