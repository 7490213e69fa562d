// The library's run(): options checked (UsageError, nothing sent), then the one orchestrator.
import type { Config } from "../config/schema.js";
import type { RunResult } from "../report/model.js";
import type { RunOptions } from "./options.js";

export async function run(_config: Config, _options: RunOptions = {}): Promise<RunResult> {
  throw new Error("not yet wired (work in progress)");
}
