// The namespace for commands that need no suite: -n, INCLUSTER_NAMESPACE, the config, "default".
import { UsageError } from "../errors.js";
import type { CliContext } from "./context.js";
import { loadForCommand } from "./load-config.js";

export function namespaceOf(ctx: CliContext): string {
  const g = ctx.globals();
  if (g.namespace) return g.namespace;
  try {
    return loadForCommand(ctx).config.namespace ?? ctx.env.INCLUSTER_NAMESPACE ?? "default";
  } catch (err) {
    // No config file is fine here: these commands work from anywhere with -n.
    if (err instanceof UsageError && /no incluster.yaml/.test(err.message)) return ctx.env.INCLUSTER_NAMESPACE ?? "default";
    throw err;
  }
}
