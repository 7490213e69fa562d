// OpenTelemetry export and the --events schema, on the project's cluster, against a real
// OpenTelemetry Collector (OTLP receiver + file exporter) that the harness builds from the Go
// module proxy (support/build-otelcol.sh, cached). Counts: the test's lines as incluster sent them
// (--events), as the collector received them, and in the saved log: equal, none twice.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/events/types.js";
import { parseRfc3339Nanos } from "../../src/otlp/records.js";
import { ADMIN_KUBECONFIG, DEMO, FAULTS, NAMESPACE, ROOT, cli, requireCluster, runJson, savedLog } from "./support/cli.js";
import { collectorBinary, freePort, receivedRecords, startCollector } from "./support/otelcol.js";

const LINES = 100_000;
const NUMBERED = /line (\d{7}) of 0100000$/;

const nanos = (ts: string) => {
  const hr = parseRfc3339Nanos(ts)!;
  return (BigInt(hr[0]) * 1_000_000_000n + BigInt(hr[1])).toString();
};

describe("OTLP export to a real OpenTelemetry Collector", () => {
  let bin = "";
  const dir = mkdtempSync(join(tmpdir(), "incluster-otlp-"));
  beforeAll(() => {
    requireCluster();
    bin = collectorBinary();
  }, 900_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("100,000 test log lines arrive with none lost and none twice, stamped with the kubelet's time; --events lines match schema/run-events.schema.json", async () => {
    const collector = await startCollector(bin, dir);
    const eventsFile = join(dir, "events.jsonl");
    let r: Awaited<ReturnType<typeof runJson>>;
    try {
      r = await runJson(["-c", FAULTS, "run", "many-lines", "-q", "-v", "--events", eventsFile, "--report-dir", join(dir, "run")], { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint });
    } finally {
      await collector.stop();
    }
    expect(r.code, r.stderr.slice(-2000)).toBe(0);

    const events = readFileSync(eventsFile, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as RunEvent);
    const validate = new Ajv({ strict: true, allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, "schema/run-events.schema.json"), "utf8")) as object);
    const invalid = events.filter((e) => !validate(e));
    expect(invalid.slice(0, 3), JSON.stringify(validate.errors?.slice(0, 5))).toEqual([]);

    const sent = events.flatMap((e) => (e.type === "log" && e.container === "test-runner" && NUMBERED.test(e.line) ? [e] : []));
    const records = receivedRecords(collector.file);
    const received = records.filter((x) => x.attributes["k8s.container.name"] === "test-runner" && x.line !== undefined && NUMBERED.test(x.line));
    const saved = savedLog(r.result, "many-lines").split("\n").filter((l) => NUMBERED.test(l));
    const numbers = (ls: string[]) => new Set(ls.map((l) => Number(NUMBERED.exec(l)![1])));
    console.log(`OTLP: lines sent ${sent.length}, received by the collector ${received.length} (${numbers(received.map((x) => x.line!)).size} distinct), in the saved log ${saved.length}; records: ${records.length} received`);
    expect([sent.length, received.length, saved.length]).toEqual([LINES, LINES, LINES]);
    expect(numbers(received.map((x) => x.line!)).size).toBe(LINES);
    expect(numbers(saved).size).toBe(LINES);

    // Every event but the exporter's own closing notes became one record, and each suite's
    // verdict one more per test case (test.case.name, test.case.result.status): nothing else lost or doubled.
    const own = events.filter((e) => e.type === "run.note" && e.text.startsWith("OTLP export"));
    expect(own.map((e) => e.type === "run.note" && e.level)).toEqual(["verbose"]);
    expect(own[0]).toMatchObject({ text: expect.stringContaining(`${records.length} records sent, ${records.length} delivered`) });
    const cases = events.flatMap((e) => (e.type === "suite.verdict" ? (e.result.tests ?? []) : []));
    expect(records.length).toBe(events.length - own.length + cases.length);
    const caseRecords = records.filter((x) => x.eventName === "incluster.test.case");
    expect(caseRecords.map((x) => x.attributes["test.case.name"]).sort()).toEqual(cases.map((t) => t.id).sort());
    expect(caseRecords.every((x) => x.attributes["test.case.result.status"] === "pass")).toBe(true);
    expect(events.at(-1)?.type).toBe("run.finished");

    // The kubelet's timestamps, to the nanosecond; semantic-convention attributes.
    const kubeletTs = new Map(sent.map((e) => [e.line, e.kubeletTs!]));
    expect(received.filter((x) => x.timeUnixNano !== nanos(kubeletTs.get(x.line!)!)).slice(0, 3)).toEqual([]);
    const pod = r.result.suites[0]!.pods[0]!;
    expect(received[0]).toMatchObject({
      resource: { "service.name": "incluster", "k8s.namespace.name": NAMESPACE, "incluster.run_id": r.result.runId },
      attributes: { "k8s.pod.name": pod, "k8s.container.name": "test-runner", "incluster.suite": "many-lines" },
    });
    expect(records.find((x) => x.eventName === "incluster.suite.verdict")).toMatchObject({ severityText: "INFO", attributes: { "incluster.suite": "many-lines" } });
  });

  it("in a user's script: run() returns with the export flushed and shut down, and the process exits on its own", async () => {
    const collector = await startCollector(bin, join(dir, "lib"));
    let out: { exitCode: number; notes: string[]; doneAt: number } | undefined;
    let handles: string[] = [];
    let exitAfterMs = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "test/integration/support/otlp-lib-run.ts"), DEMO, "services", ADMIN_KUBECONFIG, join(dir, "lib-run"), collector.endpoint], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        // A leaked timer or socket would keep it alive: fail instead of hanging.
        const guard = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`did not exit on its own:\n${stdout}\n${stderr}`))), 120_000);
        child.on("close", () => {
          clearTimeout(guard);
          const lines = stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
          out = lines.find((l) => "exitCode" in l) as typeof out;
          handles = (lines.find((l) => "handles" in l)?.handles as string[] | undefined) ?? [];
          exitAfterMs = Date.now() - (out?.doneAt ?? 0);
          return out ? resolve() : reject(new Error(stderr));
        });
      });
    } finally {
      await collector.stop();
    }
    console.log(`library: exit ${out!.exitCode}, notes ${JSON.stringify(out!.notes)}, handles one tick after run() ${JSON.stringify(handles)}, exited ${exitAfterMs} ms after run() returned`);
    expect(out!.exitCode).toBe(0);
    expect(out!.notes).toEqual([expect.stringMatching(/^verbose: OTLP export to .*: (\d+) records sent, \1 delivered$/)]);
    expect(handles.filter((h) => h !== "TTYWrap" && h !== "PipeWrap")).toEqual([]);
    expect(receivedRecords(collector.file).filter((x) => x.attributes["incluster.suite"] === "services").length).toBeGreaterThan(0);
  });

  it("a collector that is down: one warning, the verdict and exit code unchanged", async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const t0 = Date.now();
    const r = await cli(["-c", DEMO, "run", "fails-on-purpose", "-q", "--otlp-endpoint", down, "--report-dir", join(dir, "down")]);
    const warnings = r.stderr.split("\n").filter((l) => l.includes("warning: OTLP export"));
    console.log(`collector down: exit ${r.code} in ${((Date.now() - t0) / 1000).toFixed(1)}s; ${warnings.length} warning: ${warnings[0]}`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("FAILED fails-on-purpose");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("ECONNREFUSED");
  });
});
