// `incluster build [suite...]`: build and push the suites' images, tagged by the content hash
// of their inputs; a tag the registry already has is neither built nor pushed.
import type { Command } from "commander";
import type { CliContext } from "../context.js";

export function registerBuild(program: Command, ctx: CliContext): void {
  program
    .command("build")
    .summary("build and push suite images, tagged by a hash of what they are built from")
    .description(
      "Builds each suite's image (its build.dockerfile, or a Dockerfile generated from image.base) with podman, docker, buildah or nerdctl, " +
        "tags it <image.registry>/test-<suite>-e2e:sha-<hash of the Dockerfile, the context files and the platform>, and pushes it. " +
        "When the registry already has that tag, nothing is built or pushed; suites with the same content share one image. " +
        "Suites with an explicit image are not built. " +
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
    .action(async (names: string[], flags: { engine?: string; platform?: string }) => (await import("../actions/build.js")).buildAction(ctx, names, flags));
}
