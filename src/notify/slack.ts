// The Slack incoming-webhook message for a finished run: its tally, each suite's verdict, the
// failed tests, and a link to the CI run when the environment names one. Pure.
import { failures } from "../report/failures.js";
import { tallyText } from "../report/tally.js";
import type { RunResult, SuiteResult } from "../results/run-result.js";
import { oneLine } from "../report/text.js";

/** Slack's limit for a section's text is 3000 characters. */
const SECTION_MAX = 3000;
/** Failed tests listed in the message; the rest are counted. */
export const SLACK_FAILURES_MAX = 20;

const VERDICT: Record<SuiteResult["verdict"], string> = {
  passed: ":white_check_mark: passed",
  failed: ":x: failed",
  couldNotRun: ":warning: could not run",
  timedOut: ":hourglass: timed out",
  interrupted: ":black_square_for_stop: interrupted",
};

export interface SlackMessage {
  text: string;
  blocks: { type: "section"; text: { type: "mrkdwn"; text: string } }[];
}

/** Slack's mrkdwn control characters. */
function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function section(text: string): SlackMessage["blocks"][number] {
  return { type: "section", text: { type: "mrkdwn", text: text.length > SECTION_MAX ? `${text.slice(0, SECTION_MAX - 1)}…` : text } };
}

export function slackMessage(r: RunResult, link?: { url: string; label: string }): SlackMessage {
  const headline = `incluster run ${r.runId}: ${tallyText(r)} — exit code ${r.exitCode}`;
  const blocks = [section(`*${esc(headline)}*${link ? `\n<${link.url}|${esc(link.label)}>` : ""}`)];
  blocks.push(
    section(
      r.suites
        .map((s) => `*${esc(s.suite)}* ${VERDICT[s.verdict]}${s.class && s.verdict !== "passed" ? ` (${s.class})` : ""}, ${s.durationSeconds.toFixed(1)}s`)
        .join("\n"),
    ),
  );
  const all = failures(r);
  if (all.length) {
    const lines = all.slice(0, SLACK_FAILURES_MAX).map((f) => `• *${esc(f.suite)}*${f.test ? ` \`${esc(f.test)}\`` : ""}: ${esc(oneLine(f.message))}`);
    if (all.length > SLACK_FAILURES_MAX) lines.push(`… and ${all.length - SLACK_FAILURES_MAX} more`);
    blocks.push(section(`*Failed*\n${lines.join("\n")}`));
  }
  return { text: headline, blocks };
}
