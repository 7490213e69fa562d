// `incluster import [dir]`: the guide's layout (jobs/test-<name>-e2e/, deploy/k8s/99-test-<name>-e2e.yaml)
// → incluster.yaml. Reads files only; never overwrites; --dry-run prints instead of writing.
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { JOBS_DIR, MANIFEST_DIR } from "../../import/dirs.js";

export function registerImport(program: Command, ctx: CliContext): void {
  program
    .command("import")
    .summary("write incluster.yaml from the guide's jobs/ and deploy/k8s/ files")
    .description(
      [
        [
          `Reads ${JOBS_DIR}/test-<name>-e2e/{Dockerfile,run_test.py} and the Job in ${MANIFEST_DIR}/99-test-<name>-e2e.yaml`,
          "for every suite, and writes the equivalent incluster.yaml: namespace, env, resources and ttl from",
          "the Job; registry and base from the Job's image and the Dockerfile's FROM; repository and ref",
          "from the clone init container and GIT_BRANCH; test target and install command from run_test.py.",
          "Every value it could not carry over is listed with its file and line (on stderr).",
          "Never overwrites an existing incluster.yaml. Contacts no cluster.",
        ].join(" "),
        "",
        "Examples:",
        "  # see what it would write, and what it could not map",
        "  incluster import --dry-run",
        "  # a repository elsewhere",
        "  incluster import ../swe-ai-fleet",
      ].join("\n"),
    )
    .argument("[dir]", "repository root holding jobs/ and deploy/k8s/", ".")
    .option("--dry-run", "print the config on stdout instead of writing it")
    .action(async (dir: string, opts: { dryRun?: boolean }) => (await import("../actions/import.js")).importAction(ctx, dir, opts));
}
