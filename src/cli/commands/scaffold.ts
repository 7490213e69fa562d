// incluster scaffold <suite>: write the guide's layout (Dockerfile, run_test.py, manifest) for
// teams that keep manifests in git and run them without incluster.
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { resolveSuite } from "../../config/resolve.js";
import { DEFAULT_BASE_IMAGE } from "../../config/schema.js";
import { UsageError } from "../../errors.js";
import { scaffoldSuite } from "../../render/scaffold.js";
import { loadForCommand } from "../load-config.js";
import { describeWrites, writeFiles } from "../files.js";
import type { CliContext } from "../context.js";

export function registerScaffold(program: Command, ctx: CliContext): void {
  program
    .command("scaffold")
    .summary("write the guide's Dockerfile, run_test.py and Job manifest for a suite")
    .description(
      "Write jobs/test-<suite>-e2e/{Dockerfile,run_test.py} and deploy/k8s/99-test-<suite>-e2e.yaml, usable with podman/docker and kubectl alone.\n" +
        "A file that exists and differs is left alone unless --force; if any was left alone the exit code is 2.",
    )
    .argument("<suite>", "suite name from incluster.yaml")
    .option("--force", "overwrite files that differ")
    .option("--dir <dir>", "repository root to write into (default: the folder holding incluster.yaml)")
    .addHelpText(
      "after",
      `
Examples:
  # Write the three files for the smoke suite next to incluster.yaml
  incluster scaffold smoke

  # Regenerate them after changing incluster.yaml
  incluster scaffold smoke --force`,
    )
    .action((suiteName: string, opts: { force?: boolean; dir?: string }) => {
      const { config, path } = loadForCommand(ctx);
      const suite = resolveSuite(config, suiteName);
      const files = scaffoldSuite(suite, { baseImage: config.image?.base ?? DEFAULT_BASE_IMAGE });
      const root = opts.dir ? resolve(ctx.cwd, opts.dir) : dirname(path);
      const plan = writeFiles(root, files, opts.force === true);
      ctx.stdout.write(describeWrites(plan));
      const skipped = plan.filter((f) => f.action === "skip");
      if (skipped.length > 0) {
        throw new UsageError(
          `${skipped.length} file${skipped.length === 1 ? "" : "s"} already exist${skipped.length === 1 ? "s" : ""} and differ${skipped.length === 1 ? "s" : ""} from what scaffold writes; left alone`,
          [...skipped.map((f) => `${f.path}: differs; rerun with --force to overwrite it`)],
        );
      }
    });
}
