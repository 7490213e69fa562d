// The terminal view: a consumer of the RunEvent stream, one plain line per change (CI-friendly),
// log lines prefixed with the container (and the suite when several run), the verdicts at the
// end. Pure: it formats each event and hands the text to `write`.
import type { EventSink, RunEvent } from "../events/types.js";
import { paint, progressLine, runSummary } from "./human.js";
import type { Style } from "./human.js";
import { CLONE_CONTAINER, TEST_CONTAINER } from "../names.js";

export interface TerminalOptions {
  style: Style;
  /** Prefix log lines with the suite too. */
  several: boolean;
  verbose: boolean;
  /** Do not echo test output (e.g. --quiet). Logs are still saved. */
  quietLogs: boolean;
  write: (text: string) => void;
}

const SHORT: Record<string, string> = { [CLONE_CONTAINER]: "clone", [TEST_CONTAINER]: "test" };

/** The text one event prints, or undefined. */
export function terminalText(o: Omit<TerminalOptions, "write">, e: RunEvent): string | undefined {
  // Parsed only for progress lines: a log line (a million of them) does not need it.
  const at = () => new Date(e.ts);
  switch (e.type) {
    case "run.started":
      return `${paint(o.style, "yellow", "incluster:")} run ${e.runId}: ${e.suites.join(", ")} in namespace ${e.namespace} (context ${e.context})`;
    case "source.resolved":
      return e.text || undefined;
    case "build.output":
      return `  | ${e.line}`;
    case "image.ready":
    case "suite.verdict":
      return undefined;
    case "run.note":
      if (e.level === "verbose" && !o.verbose) return undefined;
      return (
        `${paint(o.style, "yellow", "incluster:")} ${e.level === "warning" ? "warning: " : ""}` +
        `${e.level === "verbose" ? paint(o.style, "dim", e.text) : e.text}`
      );
    case "history.read":
      // Its problem is also a warning note; the counts are for -v.
      if (!o.verbose || e.problem) return undefined;
      return paint(o.style, "dim", `incluster: history (${e.store}, ${e.where}): ${e.suites.map((s) => `${s.suite} ${s.runs} past runs`).join(", ")}`);
    case "test.quarantined":
      // One line as its suite ends; the summary lists it again, with its message.
      return progressLine(o.style, at(), e.suite, `${paint(o.style, "yellow", "quarantined")} ${e.test}: ${e.outcome} (${e.reason})`);
    case "suite.decided":
      // The verdict lines come with the run's summary; -v says when each was known.
      if (!o.verbose) return undefined;
      return progressLine(o.style, at(), e.suite, paint(o.style, "dim", `verdict of attempt ${e.attempt}: ${e.verdict}${e.retry ? " (a retry follows)" : ""}`));
    case "suite.phase":
      return progressLine(o.style, at(), e.suite, `${e.phase}${e.detail ? `: ${e.detail}` : ""}`);
    case "suite.note":
      if (e.level === "verbose" && !o.verbose) return undefined;
      return progressLine(o.style, at(), e.suite, e.level === "verbose" ? paint(o.style, "dim", e.text) : e.text);
    case "log": {
      if (o.quietLogs) return undefined;
      const c = SHORT[e.container] ?? e.container;
      const who = `${e.suite}${e.shard !== undefined ? `#${e.shard}` : ""}`;
      return `${paint(o.style, "dim", `[${o.several || e.shard !== undefined ? `${who}/${c}` : c}]`)} ${e.line}`;
    }
    case "run.finished": {
      const warnings = (e.result.warnings ?? []).map((w) => `${paint(o.style, "yellow", "incluster:")} warning: ${w}`);
      return [...warnings, runSummary(o.style, e.result)].join("\n");
    }
  }
}

export function terminalView(o: TerminalOptions): EventSink {
  return (e) => {
    const text = terminalText(o, e);
    // One write per line: concurrent suites never interleave mid-line.
    if (text !== undefined) o.write(`${text}\n`);
  };
}
