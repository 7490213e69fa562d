// The options of the library's run(): what the CLI's flags map onto, one to one.
import type { EventSink } from "../events/types.js";
import type { SuiteHistory } from "../history/model.js";
import type { ClusterPort } from "../kube/port.js";

export interface RunOptions {
  /** Suites to run; default: the only suite, if there is one. */
  suites?: readonly string[];
  /** Every suite of the config. */
  all?: boolean;
  /** kubeconfig file; default KUBECONFIG, ~/.kube/config, or the in-cluster ServiceAccount. */
  kubeconfig?: string;
  context?: string;
  /** Beats the config's namespace; default: the config's, else the kubeconfig context's, else "default". */
  namespace?: string;
  /** Aborting interrupts the run: its Jobs and Pods are deleted (unless keep), the verdict is 130. */
  signal?: AbortSignal;
  /** Every RunEvent, in order, as it happens. */
  onEvent?: EventSink;
  /** How many suites run at once (default: all). */
  concurrency?: number;
  /**
   * How many artifact copies run at once, each one pods/exec connection to the API server
   * (default: INCLUSTER_COPY_CONCURRENCY from `env`, else 4). The others queue; no verdict waits for them.
   */
  copyConcurrency?: number;
  /** How long a pull error, unschedulable pod or missing Secret may last: a duration ("15s") or milliseconds. */
  failFast?: string | number;
  /** Replaces every suite's timeout: a duration ("10m"). */
  timeout?: string;
  /** Replaces every suite's `retries`: fresh attempts that rerun only the failed tests. */
  retries?: number;
  /** A flaky test (failed, then passed on a retry) fails its suite (exit 1). */
  failOnFlaky?: boolean;
  /**
   * The suites' run histories (suite name → its last runs, newest first), as the run is to see
   * them: the automatic quarantine and the shards' balance read them. Given here, they are used as they are.
   */
  histories?: ReadonlyMap<string, SuiteHistory>;
  /** At most this many bytes of artifacts per attempt come back (default 100 MiB); the rest is named and dropped. */
  artifactsLimitBytes?: number;
  /** On interrupt, keep the run's Jobs and Pods. */
  keep?: boolean;
  /** Where logs and result.json go; default <cwd>/.incluster/runs/<run-id>. */
  reportDir?: string;
  /** false: build nothing, run the content-hash tags as they are. */
  build?: boolean;
  /** Image engine: podman, docker, buildah or nerdctl. */
  engine?: string;
  /** Target platform of built images (e.g. linux/amd64); default: image.platform, else the cluster nodes'. */
  platform?: string;
  /** Base directory for the report dir (default process.cwd()). */
  cwd?: string;
  /** The folder relative paths of the config are read from (build contexts, source.local); default: the loaded file's folder, else cwd. */
  configDir?: string;
  /**
   * Send every log line and run event as OTLP log records over HTTP to this endpoint: a base URL
   * like OTEL_EXPORTER_OTLP_ENDPOINT (`/v1/logs` is appended). A collector that fails is a warning
   * (run.note), never a change of verdict. The CLI takes --otlp-endpoint, else OTEL_EXPORTER_OTLP_ENDPOINT.
   */
  otlpEndpoint?: string;
  /**
   * Where each suite's run history is kept, beating the config's history.store: "cluster" (one
   * ConfigMap per suite in the namespace), "none", or "dir:<path>" (relative to cwd).
   */
  history?: string;
  /** A ClusterPort to use instead of one made from the kubeconfig (tests, other tools). */
  port?: ClusterPort;
  /**
   * The environment (default process.env): where the image engine is found and the environment it
   * and git run in, notify's urlFromEnv and the CI run links, INCLUSTER_COPY_CONCURRENCY. The config's
   * INCLUSTER_* overrides are applied by loadConfig, not here. Not read from it: the kubeconfig, which the Kubernetes client finds
   * itself (KUBECONFIG, ~/.kube/config; pass `kubeconfig` to choose), and the OpenTelemetry SDK's OTEL_* settings.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** The run's clock in milliseconds since the epoch (default Date.now): every event's `ts` and the result's times. */
  now?: () => number;
}
