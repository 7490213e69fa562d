// Values left for the user to replace: `incluster init` writes registry.example.com/<repo> and,
// without a git remote, https://example.com/your-org/<repo>.git. Any host of a domain reserved for
// examples (RFC 2606: example.com, .net, .org and their subdomains; the .example and .invalid
// top-level domains) is one: no cluster pulls from or clones there. `validate` and `run` refuse
// them (exit 2, nothing contacted); `render` warns. Pure.
import { UsageError } from "../errors.js";
import { clip } from "../echo.js";
import type { Config } from "./schema.js";

const RESERVED = /(^|\.)(example\.(com|net|org)|[^.]+\.(example|invalid))$/i;

/** Whether a host name is reserved for examples (RFC 2606). */
export function isExampleHost(host: string): boolean {
  return RESERVED.test(host.replace(/\.$/, ""));
}

/** The registry host of an image reference or registry path (docker's rule: a first part with a dot or port). */
function registryHost(ref: string): string | undefined {
  const first = ref.split("/")[0] ?? "";
  if (!ref.includes("/") || !/[.:]/.test(first)) return undefined;
  return first.replace(/:\d+$/, "");
}

/** The host of a git URL: https://, ssh://, git:// or scp-like git@host:path. */
function gitHost(url: string): string | undefined {
  const scp = /^[\w.-]+@([^:/]+):/.exec(url);
  if (scp) return scp[1];
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** Every field that still names a placeholder host, as `path: what is wrong; the fix`. */
export function placeholderProblems(config: Config): string[] {
  const problems: string[] = [];
  const why = (value: string, host: string) => `${JSON.stringify(clip(value))} is a placeholder (${host} is reserved for examples: no cluster can reach it)`;
  const image = (path: string, ref: string | undefined, fix: string) => {
    const host = ref === undefined ? undefined : registryHost(ref);
    if (ref !== undefined && host && isExampleHost(host)) problems.push(`${path}: ${why(ref, host)}; ${fix}`);
  };
  image("image.registry", config.image?.registry, "set the registry your cluster pulls from and you can push to, e.g. ghcr.io/your-org");
  image("defaults.image", config.defaults?.image, "set an image your cluster can pull, or remove it so incluster builds one");
  for (const [name, suite] of Object.entries(config.suites)) {
    image(`suites.${name}.image`, suite.image, "set an image your cluster can pull, or remove it so incluster builds one");
  }
  const url = config.source.git?.url;
  const host = url === undefined ? undefined : gitHost(url);
  if (url !== undefined && host && isExampleHost(host)) problems.push(`source.git.url: ${why(url, host)}; set the URL the cluster clones your repository from`);
  return problems;
}

/** The UsageError validate and run throw when placeholders remain (undefined when none do). */
export function placeholderError(config: Config, file: string): UsageError | undefined {
  const problems = placeholderProblems(config);
  if (!problems.length) return undefined;
  return new UsageError(`${file} still has ${problems.length} placeholder${problems.length === 1 ? "" : "s"} to replace`, problems);
}
