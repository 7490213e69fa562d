// Defaults the CLI's help text shows, in a module of their own so `incluster --help` loads no engine.
export const DEFAULT_FAIL_FAST = "15s";
/** The report page every run writes into its report directory. */
export const REPORT_HTML = "report.html";
