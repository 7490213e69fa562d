// incluster build's action (loaded when the command runs; commands/build.ts declares it).
import { dirname } from "node:path";
import { listSuites, resolveSuite } from "../../config/resolve.js";
import { UsageError } from "../../errors.js";
import { checkEngineFlag, checkPlatformFlag } from "../build-flags.js";
import { buildStep } from "../build-step.js";
import type { CliContext } from "../context.js";
import { loadForCommand } from "../load-config.js";

export async function buildAction(ctx: CliContext, names: string[], flags: { engine?: string; platform?: string }): Promise<void> {
  checkEngineFlag(flags.engine);
  checkPlatformFlag(flags.platform);
  const { config, path } = loadForCommand(ctx);
  const suites = (names.length ? names : listSuites(config)).map((n) => resolveSuite(config, n));
  const built = suites.filter((s) => s.build);
  if (!built.length) {
    if (names.length) {
      throw new UsageError(`nothing to build: ${names.join(", ")} run${names.length === 1 ? "s" : ""} an explicit image`, [
        "remove the suite's image (and set image.registry) to have incluster build it",
      ]);
    }
    ctx.stderr.write("nothing to build: every suite runs an explicit image\n");
    return;
  }
  const { images } = await buildStep(ctx, config, dirname(path), built, { engineFlag: flags.engine, planOnly: false, platform: flags.platform });
  for (const i of images) ctx.stdout.write(`${i.suite} ${i.ref} ${i.action}\n`);
}
