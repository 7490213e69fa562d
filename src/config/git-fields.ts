// The git fields of source: URLs, refs and remote names. Each is handed to git (git ls-remote on
// this machine, git clone in the pod), so none may start with '-' (git would take it for an
// option), and a URL never carries credentials: those live in a Secret (source.*.credentials).
import * as z from "zod/mini";
import { text, deferred } from "./fields.js";

/** user:password@ or token@ in a URL: the part that must not be in incluster.yaml, a Job or a log. */
export function urlHasCredentials(url: string): boolean {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)/.exec(url);
  if (!scheme) return false; // scp-like git@host:path carries a user name only, never a password
  const authority = scheme[2] ?? "";
  const at = authority.lastIndexOf("@");
  if (at === -1) return false;
  const userinfo = authority.slice(0, at);
  // ssh://git@host/ names the account, not a secret; any password, and any user over http(s)/git, is one.
  return userinfo.includes(":") || !/^ssh$|^git\+ssh$|^ssh\+git$/i.test(scheme[1] ?? "");
}

/** The URL with its userinfo replaced, for the few places a URL from elsewhere (a git remote) is shown. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/?#@]*@/, "$1***@");
}

export function gitUrl(field: "source.git" | "source.local") {
  return text("a git URL like https://github.com/org/repo.git").check(
    z.regex(/^\S+$/, { abort: true, error: "expected a git URL without spaces" }),
    z.refine((s) => !s.startsWith("-"), { abort: true, error: "expected a git URL, not something starting with '-' (git would read it as an option)" }),
    z.refine((s) => !urlHasCredentials(s), {
      // Never echo the URL: the credentials are in it.
      error:
        "the URL contains credentials (user:token@); remove them from the URL and put them in a Secret with keys username and password, " +
        `named by ${field}.credentials.secretRef`,
    }),
  );
}

/** Why git would not take a branch or tag name (git check-ref-format), or undefined. */
export function refProblem(ref: string): string | undefined {
  if (ref.startsWith("-")) return "must not start with '-' (git would read it as an option)";
  if (/[\s~^:?*[\\]/.test(ref) || [...ref].some((c) => c.charCodeAt(0) < 0x20 || c === "\x7f")) {
    return "must not contain spaces, control characters or any of ~ ^ : ? * [ \\";
  }
  if (ref.includes("..") || ref.includes("@{") || ref.includes("//")) return "must not contain '..', '@{' or '//'";
  if (ref.startsWith("/") || ref.endsWith("/") || ref.endsWith(".") || ref.endsWith(".lock") || ref === "@") {
    return "must not start or end with '/', end with '.' or '.lock', or be '@'";
  }
  if (ref.split("/").some((part) => part.startsWith("."))) return "no part of it may start with '.'";
  return undefined;
}

export const gitRef = text("a branch or tag name").check(
  z.superRefine((s, ctx) => {
    const p = refProblem(s);
    if (p) ctx.addIssue({ code: "custom", message: `expected a branch or tag name that git accepts: it ${p}` });
  }),
);

export const remoteName = deferred(() =>
  text("a git remote name like origin").check(
    z.regex(/^[A-Za-z0-9_][A-Za-z0-9._/-]*$/, {
      error: "expected a git remote name like origin: letters, digits, '.', '_', '-' and '/', not starting with '-'",
    }),
  ),
);
