// The build options' checks and the platform choice, apart from build-step.ts so that render and
// run read them without loading the machine's build (child processes, registry clients).
import { chooseEngine } from "../build/engine.js";
import { choosePlatform, platformProblem } from "../build/platform.js";
import type { Config } from "../config/schema.js";
import { UsageError } from "../errors.js";

/** Checks --engine before anything runs (a typo is a usage error, exit 2). */
export function checkEngineFlag(flag: string | undefined): void {
  const r = chooseEngine(flag, undefined, () => true);
  if (r.problem) throw new UsageError(r.problem);
}

/** Checks --platform before anything runs: os/arch like linux/amd64, else a usage error (exit 2). */
export function checkPlatformFlag(flag: string | undefined): void {
  const problem = flag === undefined ? undefined : platformProblem("--platform", flag);
  if (problem) throw new UsageError(problem);
}

/** The platform images are built for: the option > image.platform > linux/<this machine's arch>. */
export function buildPlatform(config: Config, option: string | undefined): string {
  return choosePlatform(option, config.image?.platform, process.arch);
}
