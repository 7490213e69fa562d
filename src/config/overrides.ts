// Values that beat the file: flags first, then INCLUSTER_* environment (kubectl conventions,
// zx's resolveDefaults). Pure, so `run --timeout` can reuse it with its own flag.
import { UsageError } from "../errors.js";
import { DURATION_MAX_SECONDS, parseDuration } from "./duration.js";
import { clip } from "../echo.js";
import { namespaceProblem } from "./names.js";
import type { Config } from "./schema.js";

export interface OverrideSources {
  /** -n/--namespace */
  namespaceFlag?: string | undefined;
  /** a command's --timeout, when it has one */
  timeoutFlag?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

export interface Overrides {
  namespace?: string;
  /** A duration string, already checked; applies to every suite. */
  timeout?: string;
}

/** Picks flag > environment for each override and checks it, naming where the bad value came from. */
export function resolveOverrides(src: OverrideSources): Overrides {
  const problems: string[] = [];
  const out: Overrides = {};
  const ns = pick(src.namespaceFlag, "-n/--namespace", src.env.INCLUSTER_NAMESPACE, "INCLUSTER_NAMESPACE");
  if (ns) {
    const p = namespaceProblem(ns.value);
    if (p) problems.push(`${ns.from}: ${p}`);
    else out.namespace = ns.value;
  }
  const t = pick(src.timeoutFlag, "--timeout", src.env.INCLUSTER_TIMEOUT, "INCLUSTER_TIMEOUT");
  if (t) {
    const seconds = parseDuration(t.value);
    if (seconds === undefined) {
      problems.push(`${t.from}: expected a duration like 30m or 1h, got ${clip(JSON.stringify(t.value))}`);
    } else if (seconds > DURATION_MAX_SECONDS) {
      problems.push(`${t.from}: expected a duration of at most ${DURATION_MAX_SECONDS / 3600}h, got ${clip(JSON.stringify(t.value))}`);
    } else {
      out.timeout = t.value;
    }
  }
  if (problems.length > 0) throw new UsageError("bad option or environment value", problems);
  return out;
}

/** The config with overrides applied: the namespace, and a timeout that replaces every suite's. */
export function applyOverrides(config: Config, o: Overrides): Config {
  const timeout = o.timeout;
  return {
    ...config,
    ...(o.namespace ? { namespace: o.namespace } : {}),
    ...(timeout
      ? {
          defaults: { ...config.defaults, timeout },
          suites: Object.fromEntries(Object.entries(config.suites).map(([n, s]) => [n, { ...s, timeout }])),
        }
      : {}),
  };
}

function pick(flag: string | undefined, flagName: string, env: string | undefined, envName: string) {
  if (flag !== undefined && flag !== "") return { value: flag, from: flagName };
  if (env !== undefined && env !== "") return { value: env, from: envName };
  return undefined;
}
