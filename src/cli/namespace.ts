// The namespace, as kubectl users expect it: -n/--namespace > INCLUSTER_NAMESPACE > the config
// file's `namespace` > the kubeconfig context's namespace > "default".
import { pickNamespace } from "../api/cluster.js";
import type { Config } from "../config/schema.js";
import { resolveOverrides } from "../config/overrides.js";
import { UsageError } from "../errors.js";
import type { ClusterPort } from "../kube/port.js";
import type { CliContext } from "./context.js";
import { loadForCommand } from "./load-config.js";

export { pickNamespace };
export type { NamespaceSources } from "../api/cluster.js";

/** The config's namespace after the context's: for commands that load the config anyway (doctor). */
export function withContextNamespace(config: Config, port: Pick<ClusterPort, "context">): Config & { namespace: string } {
  return { ...config, namespace: pickNamespace({ file: config.namespace, context: port.context().namespace }) };
}

/** For commands that need no suite (logs, status, clean): the config file is optional here. */
export function namespaceOf(ctx: CliContext, port: Pick<ClusterPort, "context">): string {
  const override = namespaceOverride(ctx);
  if (override) return override;
  return pickNamespace({ file: optionalConfig(ctx)?.namespace, context: port.context().namespace });
}

/** -n/--namespace, else INCLUSTER_NAMESPACE, checked; undefined when neither is set. */
export function namespaceOverride(ctx: CliContext): string | undefined {
  return resolveOverrides({ namespaceFlag: ctx.globals().namespace, env: ctx.env }).namespace;
}

/** The config file when there is one (a broken one is still an error). */
export function optionalConfig(ctx: CliContext): Config | undefined {
  try {
    return loadForCommand(ctx).config;
  } catch (err) {
    // No config file is fine here: these commands work from anywhere.
    if (err instanceof UsageError && err.code === "CONFIG_NOT_FOUND") return undefined;
    throw err;
  }
}
