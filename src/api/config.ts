// The library's config functions: loadConfig finds and checks incluster.yaml exactly as the CLI
// does; validateConfig checks a config given as data or YAML text; render gives a suite's objects.
import { dirname, resolve } from "node:path";
import { readConfigFile, locateConfig } from "../config/load.js";
import { applyOverrides, resolveOverrides } from "../config/overrides.js";
import { checkParsed, parseConfig } from "../config/parse.js";
import { resolveSuite } from "../config/resolve.js";
import type { Config } from "../config/schema.js";
import { objectList, renderSuite } from "../render/suite.js";
import { podTemplateProblems } from "../render/pod-template.js";

/** Where each loaded config came from, so run() reads build contexts and source.local relative to it. */
const origins = new WeakMap<Config, string>();

export function configDirOf(config: Config): string | undefined {
  return origins.get(config);
}

export interface LoadConfigOptions {
  /** Where the search for incluster.yaml starts (default process.cwd()). */
  cwd?: string;
  /** An explicit file (like -c); default: INCLUSTER_CONFIG, else incluster.yaml in cwd or a parent. */
  path?: string;
  /** Environment for INCLUSTER_* overrides (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Finds, reads and checks incluster.yaml; every problem is thrown at once as one UsageError. */
export function loadConfig(o: LoadConfigOptions = {}): Config {
  const cwd = o.cwd ?? process.cwd();
  const env = o.env ?? process.env;
  const path = locateConfig({ cwd, env, configFlag: o.path });
  const config = applyOverrides(parseConfig(readConfigFile(path), path, podTemplateProblems), resolveOverrides({ env }));
  origins.set(config, dirname(path));
  return config;
}

/** Checks a config given as YAML text or as already-parsed data; throws a UsageError listing every problem. */
export function validateConfig(input: string | unknown, o: { name?: string; dir?: string } = {}): Config {
  const name = o.name ?? (typeof input === "string" ? "incluster.yaml" : "config");
  const config = typeof input === "string" ? parseConfig(input, name, podTemplateProblems) : checkParsed(input, name, undefined, podTemplateProblems);
  if (o.dir) origins.set(config, resolve(o.dir));
  return config;
}

/** A suite's objects in apply order (ServiceAccount, Role, RoleBinding, [overlay], Job), as `incluster render` prints them. */
export function render(config: Config, suite: string, o: { runId?: string } = {}): object[] {
  return objectList(renderSuite(resolveSuite(config, suite), o.runId ? { runId: o.runId } : {}));
}
