// OpenTelemetry export: a consumer of the run's event stream that sends every log line and run
// event as an OTLP log record over HTTP, through OpenTelemetry's own JS SDK (batching, retries,
// OTEL_EXPORTER_OTLP_HEADERS and the other OTEL_* settings the SDK reads). Loaded lazily by
// api/run.ts, only when an endpoint is set. A collector that fails makes incluster warn once and
// stop sending for the rest of the run (a dead collector costs one export timeout, not one per
// batch); it never changes the verdict. close() flushes and shuts the SDK down and destroys its
// sockets, so the process exits on its own.
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { ExportResult } from "@opentelemetry/core";
import { BatchLogRecordProcessor, ExportResultCode, LoggerProvider, OTLPLogExporter, resourceFromAttributes } from "../vendor/otel.js";
import type { LogRecordExporter, ReadableLogRecord } from "@opentelemetry/sdk-logs";
import pkg from "../../package.json" with { type: "json" };
import type { EventBody, EventSink, RunEvent } from "../events/types.js";
import { runResource, testCaseRecords, toOtlpRecord } from "./records.js";
import { otlpLogsUrl } from "./url.js";

/** One export (a batch, with the SDK's retries) may take this long. */
export const OTLP_EXPORT_TIMEOUT_MS = 10_000;
/** Records waiting for export; beyond it the SDK drops them (counted and warned about at the end). */
export const OTLP_QUEUE_MAX = 65_536;
export const OTLP_BATCH_MAX = 2_048;
const OTLP_BATCH_DELAY_MS = 200;
const SCOPE = "incluster";

export interface OtlpCounts {
  /** Records handed to the SDK. */
  sent: number;
  /** Records the collector accepted. */
  delivered: number;
  /** Records in exports that failed, or not attempted after the first failure. */
  failed: number;
  /** Records the SDK's queue dropped. */
  dropped: number;
}

export interface OtlpExport {
  /** Exports each event, then hands it to the next sink; run.finished waits for close(). */
  sink: EventSink;
  /** Flushes, shuts the SDK down and releases run.finished (after a note with the counts). */
  close(): Promise<OtlpCounts>;
}

/** Passes exports through to the OTLP exporter and counts what the collector accepted; after a failure it sends nothing more. */
class CountingExporter implements LogRecordExporter {
  delivered = 0;
  failed = 0;
  private stopped = false;
  private readonly inner: LogRecordExporter;
  private readonly onFirstFailure: (error: Error | undefined) => void;

  constructor(inner: LogRecordExporter, onFirstFailure: (error: Error | undefined) => void) {
    this.inner = inner;
    this.onFirstFailure = onFirstFailure;
  }

  export(records: ReadableLogRecord[], done: (result: ExportResult) => void): void {
    if (this.stopped) {
      this.failed += records.length;
      return done({ code: ExportResultCode.FAILED });
    }
    this.inner.export(records, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.delivered += records.length;
      else {
        this.failed += records.length;
        if (!this.stopped) {
          this.stopped = true;
          this.onFirstFailure(result.error);
        }
      }
      done(result);
    });
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

/** Starts the export of one run's events to an OTLP/HTTP endpoint (the base URL, like OTEL_EXPORTER_OTLP_ENDPOINT). */
export interface OtlpRun {
  endpoint: string;
  runId: string;
  namespace: string;
  /** The run's own envelope factory (events/envelope.ts), for the export's notes to the caller. */
  envelope: (body: EventBody) => RunEvent;
}

export function startOtlpExport(o: OtlpRun, next: EventSink): OtlpExport {
  const url = otlpLogsUrl(o.endpoint);
  const agent = new URL(url).protocol === "https:" ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  let warned = false;
  let held: RunEvent | undefined;
  let sent = 0;
  const note = (level: "warning" | "verbose", text: string) => next(o.envelope({ type: "run.note", level, text }));
  const warn = (text: string) => {
    if (warned) return;
    warned = true;
    note("warning", text);
  };
  const exporter = new CountingExporter(new OTLPLogExporter({ url, timeoutMillis: OTLP_EXPORT_TIMEOUT_MS, httpAgentOptions: () => agent }), (error) =>
    warn(`OTLP export to ${url} failed (${error?.message ?? "no reason given"}); the rest of this run is not sent there (the report dir keeps every log)`),
  );
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(runResource({ runId: o.runId, namespace: o.namespace, version: pkg.version })),
    processors: [
      new BatchLogRecordProcessor({
        exporter,
        maxQueueSize: OTLP_QUEUE_MAX,
        maxExportBatchSize: OTLP_BATCH_MAX,
        scheduledDelayMillis: OTLP_BATCH_DELAY_MS,
        exportTimeoutMillis: OTLP_EXPORT_TIMEOUT_MS,
      }),
    ],
  });
  const logger = provider.getLogger(SCOPE, pkg.version);
  let closed: Promise<OtlpCounts> | undefined;
  return {
    sink: (e) => {
      logger.emit(toOtlpRecord(e));
      sent++;
      // A suite's verdict is followed by one record per test case (OpenTelemetry's test.case.* attributes).
      for (const r of testCaseRecords(e)) {
        logger.emit(r);
        sent++;
      }
      // The caller's stream still ends with run.finished: the export's own notes come before it.
      if (e.type === "run.finished") held = e;
      else next(e);
    },
    close: () =>
      (closed ??= (async () => {
        try {
          await provider.shutdown();
        } finally {
          agent.destroy();
        }
        const counts: OtlpCounts = { sent, delivered: exporter.delivered, failed: exporter.failed, dropped: sent - exporter.delivered - exporter.failed };
        if (counts.dropped > 0) warn(`OTLP export to ${url}: ${counts.dropped} of ${counts.sent} records dropped (the collector was slower than the logs)`);
        note("verbose", `OTLP export to ${url}: ${counts.sent} records sent, ${counts.delivered} delivered`);
        if (held) next(held);
        return counts;
      })()),
  };
}
