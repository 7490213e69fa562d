// The `notify:` list: where a finished run is announced (a Slack incoming webhook, or any URL
// that takes the RunResult JSON). URLs are never in the file, only where to read them from.
import * as z from "zod/mini";
import { describe, shown, strict, text, deferred } from "./fields.js";

export const NOTIFY_TYPES = ["slack", "webhook"] as const;
export const NOTIFY_WHEN = ["failure", "always"] as const;
export const DEFAULT_NOTIFY_WHEN = "failure";
export const NOTIFY_MAX = 20;

// Not fields.envName: a URL pasted here by mistake must not be echoed back.
const urlFromEnv = deferred(() =>
  z
    .string({ error: "expected the name of an environment variable like SLACK_WEBHOOK_URL (the value is not shown)" })
    .check(
      z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
        error:
          "expected the name of an environment variable like SLACK_WEBHOOK_URL: letters, digits and '_' " +
          "(the value is not shown; the URL itself goes in that variable)",
      }),
    ),
);

const target = deferred(() =>
  strict({
    type: describe(
      z.enum(NOTIFY_TYPES, { error: (iss) => `expected one of ${NOTIFY_TYPES.join(", ")}, got ${shown(iss.input)}` }),
      "slack: a Slack incoming-webhook message (run id, each suite's verdict, failed tests, a link to the CI run). " +
        "webhook: a POST of the RunResult JSON (as -o json prints it).",
    ),
    urlFromEnv: describe(
      z.optional(urlFromEnv),
      "Name of the environment variable holding the URL. The URL is never printed. Exactly one of urlFromEnv or urlFromFile.",
    ),
    urlFromFile: describe(
      z.optional(text("a file path like /var/run/secrets/slack/url")),
      "File holding the URL (e.g. a mounted Secret), relative to the working directory; surrounding whitespace is ignored. The URL is never printed.",
    ),
    on: describe(
      z.optional(z.enum(NOTIFY_WHEN, { error: (iss) => `expected one of ${NOTIFY_WHEN.join(", ")}, got ${shown(iss.input)}` })),
      `When to send: failure (the run's exit code is not 0) or always. Default ${DEFAULT_NOTIFY_WHEN}.`,
    ),
  }).check(
    z.superRefine((t, ctx) => {
      if ((t.urlFromEnv === undefined) === (t.urlFromFile === undefined)) {
        ctx.addIssue({
          code: "custom",
          message:
            t.urlFromEnv === undefined
              ? "set exactly one of urlFromEnv (an environment variable) or urlFromFile (a file); neither is set"
              : "set exactly one of urlFromEnv or urlFromFile, not both",
        });
      }
    }),
  ),
);

export const notifySchema = deferred(() =>
  describe(
    z
      .array(target, { error: (iss) => `expected a list of notification targets like [{type: slack, urlFromEnv: SLACK_WEBHOOK_URL}], got ${shown(iss.input)}` })
      .check(z.maxLength(NOTIFY_MAX, { error: `expected at most ${NOTIFY_MAX} notification targets` })),
    "Where to announce a finished run. Each target is sent once, with a bounded timeout and one retry; " +
      "a target that cannot be reached is a warning and never changes the exit code.",
  ),
);

export type NotifyTarget = z.infer<typeof target>;
