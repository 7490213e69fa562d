// A real OpenTelemetry Collector for the OTLP export tests: built from the Go module proxy by
// build-otelcol.sh (cached), started on a free 127.0.0.1 port with the OTLP/HTTP receiver and the
// file exporter, stopped with SIGTERM (which flushes the file), and its file read back.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { join } from "node:path";

const BUILD = join(import.meta.dirname, "build-otelcol.sh");

/** The collector binary's path, building it first when it is not cached. */
export function collectorBinary(): string {
  return execFileSync("bash", [BUILD], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
}

/** A port nothing listens on right now (the OS picks it; the listener is closed again). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

export interface Collector {
  /** The OTLP/HTTP base URL (what OTEL_EXPORTER_OTLP_ENDPOINT would hold). */
  endpoint: string;
  /** The file exporter's output: one ExportLogsServiceRequest as JSON per line. */
  file: string;
  stop(): Promise<void>;
}

export async function startCollector(bin: string, dir: string): Promise<Collector> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const file = join(dir, "collector-logs.jsonl");
  const config = join(dir, "otelcol.yaml");
  writeFileSync(
    config,
    [
      "receivers:",
      "  otlp:",
      "    protocols:",
      "      http:",
      `        endpoint: 127.0.0.1:${port}`,
      "exporters:",
      "  file:",
      `    path: ${file}`,
      "service:",
      "  telemetry:",
      "    metrics:",
      "      level: none",
      "  pipelines:",
      "    logs:",
      "      receivers: [otlp]",
      "      exporters: [file]",
      "",
    ].join("\n"),
  );
  const child = spawn(bin, ["--config", `file:${config}`], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const deadline = Date.now() + 30_000;
  while (!(await accepting(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the collector did not start:\n${stderr.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    file,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number; kvlistValue?: unknown; arrayValue?: unknown };
interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface ReceivedRecord {
  resource: Record<string, string>;
  attributes: Record<string, string>;
  timeUnixNano: string;
  observedTimeUnixNano: string;
  eventName?: string;
  severityText?: string;
  /** The body when it is a string (a log line). */
  line?: string;
}

function flat(kvs: KeyValue[] | undefined): Record<string, string> {
  return Object.fromEntries((kvs ?? []).map((kv) => [kv.key, String(kv.value.stringValue ?? kv.value.intValue ?? kv.value.boolValue ?? kv.value.doubleValue ?? "")]));
}

/** Every log record the collector wrote, with its resource's attributes. */
export function receivedRecords(file: string): ReceivedRecord[] {
  if (!existsSync(file)) return [];
  const out: ReceivedRecord[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const req = JSON.parse(line) as { resourceLogs?: { resource?: { attributes?: KeyValue[] }; scopeLogs?: { logRecords?: { timeUnixNano: string; observedTimeUnixNano: string; eventName?: string; severityText?: string; body?: AnyValue; attributes?: KeyValue[] }[] }[] }[] };
    for (const rl of req.resourceLogs ?? []) {
      const resource = flat(rl.resource?.attributes);
      for (const sl of rl.scopeLogs ?? [])
        for (const r of sl.logRecords ?? [])
          out.push({
            resource,
            attributes: flat(r.attributes),
            timeUnixNano: r.timeUnixNano,
            observedTimeUnixNano: r.observedTimeUnixNano,
            ...(r.eventName ? { eventName: r.eventName } : {}),
            ...(r.severityText ? { severityText: r.severityText } : {}),
            ...(r.body?.stringValue !== undefined ? { line: r.body.stringValue } : {}),
          });
    }
  }
  return out;
}
