// Where OTLP/HTTP logs go: the endpoint is a base URL, as in OTEL_EXPORTER_OTLP_ENDPOINT, and the
// logs path is appended (OpenTelemetry's exporter specification).
import { UsageError } from "../errors.js";

export const OTLP_LOGS_PATH = "v1/logs";

/** `http://collector:4318` → `http://collector:4318/v1/logs`; anything but an http(s) URL is a usage error. */
export function otlpLogsUrl(endpoint: string): string {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw new UsageError(`--otlp-endpoint: expected an http(s) URL like http://localhost:4318, got ${JSON.stringify(endpoint)}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new UsageError(`--otlp-endpoint: expected an http(s) URL like http://localhost:4318, got ${JSON.stringify(endpoint)}`);
  }
  return `${endpoint.replace(/\/+$/, "")}/${OTLP_LOGS_PATH}`;
}
