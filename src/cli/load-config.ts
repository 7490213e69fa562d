// Config loading as every command does it: the global -c/-n flags, then INCLUSTER_*, then the file.
import { loadConfig, type LoadedConfig } from "../config/load.js";
import type { CliContext } from "./context.js";

export function loadForCommand(ctx: CliContext, extra: { timeoutFlag?: string } = {}): LoadedConfig {
  const g = ctx.globals();
  return loadConfig({ cwd: ctx.cwd, env: ctx.env, configFlag: g.config, namespaceFlag: g.namespace, ...extra });
}
