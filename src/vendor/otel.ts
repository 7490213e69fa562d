// The OpenTelemetry values the OTLP export uses, one file so the packages share one copy of
// @opentelemetry/core and api in the CLI's bundle (see kube.ts for why vendor/ exists).
export { ExportResultCode } from "@opentelemetry/core";
export { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
export { resourceFromAttributes } from "@opentelemetry/resources";
export { BatchLogRecordProcessor, LoggerProvider } from "@opentelemetry/sdk-logs";
export { ATTR_K8S_CONTAINER_NAME, ATTR_K8S_NAMESPACE_NAME, ATTR_K8S_POD_NAME, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
