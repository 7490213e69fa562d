// Which targets a finished run is sent to, what each receives, and how a URL source or a failed
// delivery is worded (the URL itself never). Pure.
import { DEFAULT_NOTIFY_WHEN } from "../config/notify.js";
import type { NotifyTarget } from "../config/notify.js";
import { toJson } from "../report/json.js";
import type { RunResult } from "../results/run-result.js";
import type { CiEnv } from "../ci-links.js";
import { ciRunLink } from "../ci-links.js";
import { slackMessage } from "./slack.js";
import type { PostOutcome } from "./post.js";

export function wanted(t: NotifyTarget, r: RunResult): boolean {
  return (t.on ?? DEFAULT_NOTIFY_WHEN) === "always" || r.exitCode !== 0;
}

/** notify[0] (slack, SLACK_WEBHOOK_URL): how messages name a target. */
export function targetName(t: NotifyTarget, index: number): string {
  return `notify[${index}] (${t.type}, ${t.urlFromEnv ? `$${t.urlFromEnv}` : t.urlFromFile})`;
}

export function payload(t: NotifyTarget, r: RunResult, env: CiEnv): { body: string; contentType: string } {
  if (t.type === "slack") return { body: JSON.stringify(slackMessage(r, ciRunLink(env))), contentType: "application/json" };
  return { body: toJson(r), contentType: "application/json" };
}

/** The URL as the target's source gives it, or why there is none; the text never contains the URL. */
export function parseTargetUrl(raw: string | undefined, t: NotifyTarget): { url: URL } | { problem: string } {
  const from = t.urlFromEnv ? `environment variable ${t.urlFromEnv}` : `file ${t.urlFromFile}`;
  const value = raw?.trim();
  if (!value) return { problem: `${from} is ${t.urlFromEnv ? "not set or empty" : "empty"}` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `${from} does not hold a URL` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { problem: `${from} holds a URL that is not http(s)` };
  return { url };
}

export function outcomeText(o: PostOutcome, attempts: number): string {
  return o.ok ? `sent (HTTP ${o.status})` : `not delivered after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${o.code}`;
}
