// The namespace, as kubectl users expect it: -n/--namespace > INCLUSTER_NAMESPACE > the config
// file's `namespace` > the kubeconfig context's namespace > "default".
import type { Config } from "../config/schema.js";
import { DEFAULT_NAMESPACE } from "../config/resolve.js";
import { resolveOverrides } from "../config/overrides.js";
import { UsageError } from "../errors.js";
import type { ClusterPort } from "../kube/port.js";
import type { CliContext } from "./context.js";
import { loadForCommand } from "./load-config.js";

export interface NamespaceSources {
  /** -n/--namespace or INCLUSTER_NAMESPACE, already checked (resolveOverrides). */
  override?: string | undefined;
  /** The config file's `namespace`. */
  file?: string | undefined;
  /** The kubeconfig context's namespace. */
  context?: string | undefined;
}

/** The first namespace named, by precedence. */
export function pickNamespace(s: NamespaceSources): string {
  return s.override || s.file || s.context || DEFAULT_NAMESPACE;
}

/** The config's namespace after the context's: for commands that load the config anyway (doctor). */
export function withContextNamespace(config: Config, port: Pick<ClusterPort, "context">): Config & { namespace: string } {
  return { ...config, namespace: pickNamespace({ file: config.namespace, context: port.context().namespace }) };
}

/** For commands that need no suite (logs, status, clean): the config file is optional here. */
export function namespaceOf(ctx: CliContext, port: Pick<ClusterPort, "context">): string {
  const override = resolveOverrides({ namespaceFlag: ctx.globals().namespace, env: ctx.env }).namespace;
  if (override) return override;
  return pickNamespace({ file: optionalConfig(ctx)?.namespace, context: port.context().namespace });
}

function optionalConfig(ctx: CliContext): Config | undefined {
  try {
    return loadForCommand(ctx).config;
  } catch (err) {
    // No config file is fine here: these commands work from anywhere.
    if (err instanceof UsageError && err.code === "CONFIG_NOT_FOUND") return undefined;
    throw err;
  }
}
