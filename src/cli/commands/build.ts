// `incluster build [suite...]`: build and push the suites' images, tagged by the content hash
// of their inputs; a tag the registry already has is neither built nor pushed.
import type { Command } from "commander";
import { dirname } from "node:path";
import { listSuites, resolveSuite } from "../../config/resolve.js";
import { UsageError } from "../../errors.js";
import { buildStep, checkEngineFlag, checkPlatformFlag } from "../build-step.js";
import type { CliContext } from "../context.js";
import { loadForCommand } from "../load-config.js";

export function registerBuild(program: Command, ctx: CliContext): void {
  program
    .command("build")
    .summary("build and push suite images, tagged by a hash of what they are built from")
    .description(
      "Builds each suite's image (its build.dockerfile, or a Dockerfile generated from image.base) with podman, docker, buildah or nerdctl, " +
        "tags it <image.registry>/test-<suite>-e2e:sha-<hash of the Dockerfile, the context files and the platform>, and pushes it. " +
        "When the registry already has that tag, nothing is built or pushed; suites with the same content share one image. Suites with an explicit image are not built. " +
        "`incluster run` does this first unless --no-build. Prints one line per image: <suite> <image> <built|skipped|reused>.",
    )
    .addHelpText(
      "after",
      `
Examples:
  # Build and push every suite that needs it (nothing happens if the tags exist)
  incluster build

  # One suite, with docker instead of the first engine found
  incluster build smoke --engine docker

  # For an arm64 cluster from an x86-64 machine (the engine needs qemu for RUN steps)
  incluster build --platform linux/arm64`,
    )
    .argument("[suite...]", "suites to build (default: every suite incluster builds)")
    .option("--engine <engine>", "podman, docker, buildah or nerdctl (default: image.engine, else the first on PATH)")
    .option("--platform <os/arch>", "platform to build for, like linux/amd64 or linux/arm64 (default: image.platform, else this machine's)")
    .action(async (names: string[], flags: { engine?: string; platform?: string }) => {
      checkEngineFlag(flags.engine);
      checkPlatformFlag(flags.platform);
      const { config, path } = loadForCommand(ctx);
      const suites = (names.length ? names : listSuites(config)).map((n) => resolveSuite(config, n));
      const built = suites.filter((s) => s.build);
      if (!built.length) {
        if (names.length) throw new UsageError(`nothing to build: ${names.join(", ")} run${names.length === 1 ? "s" : ""} an explicit image`, ["remove the suite's image (and set image.registry) to have incluster build it"]);
        ctx.stderr.write("nothing to build: every suite runs an explicit image\n");
        return;
      }
      const { images } = await buildStep(ctx, config, dirname(path), built, { engineFlag: flags.engine, planOnly: false, platform: flags.platform });
      for (const i of images) ctx.stdout.write(`${i.suite} ${i.ref} ${i.action}\n`);
    });
}
