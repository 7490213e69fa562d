// The top of source.local's git working tree: what `run --watch` and `incluster dev` watch.
import { isAbsolute, resolve } from "node:path";
import type { Config } from "../config/schema.js";
import { CouldNotRunError } from "../errors.js";
import { git } from "./git.js";

/** source.local's path (relative to the config's folder) up to its working tree's top; not a git tree is a CouldNotRunError naming the fix. */
export async function workingTree(config: Config, configDir: string): Promise<string> {
  const path = config.source.local?.path ?? ".";
  const dir = isAbsolute(path) ? path : resolve(configDir, path);
  const r = await git(["rev-parse", "--show-toplevel"], { cwd: dir });
  if (!r.ok) {
    throw new CouldNotRunError(
      "LOCAL_SOURCE",
      `source.local: ${dir} is not in a git working tree: ${r.stderr.trim()}`,
      "source.local needs a git repository; set source.local.path",
    );
  }
  return r.stdout.trim();
}
