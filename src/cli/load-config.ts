// Config loading as every command does it: the global -c/-n flags, then INCLUSTER_*, then the file.
import { loadConfig, type LoadedConfig } from "../config/load.js";
import { podTemplateProblems } from "../render/pod-template.js";
import type { CliContext } from "./context.js";

export function loadForCommand(ctx: CliContext, extra: { timeoutFlag?: string } = {}): LoadedConfig {
  const g = ctx.globals();
  // podTemplate is checked on the pod it makes (render/), with the schema's problems' paths and lines.
  return loadConfig({ cwd: ctx.cwd, env: ctx.env, configFlag: g.config, namespaceFlag: g.namespace, check: podTemplateProblems, ...extra });
}
