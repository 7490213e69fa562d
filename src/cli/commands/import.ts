// `incluster import [dir]`: the guide's layout (jobs/test-<name>-e2e/, deploy/k8s/99-test-<name>-e2e.yaml)
// → incluster.yaml. Reads files only; never overwrites; --dry-run prints instead of writing.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Command } from "commander";
import { CONFIG_FILE } from "../../config/load.js";
import { parseConfig } from "../../config/parse.js";
import { UsageError } from "../../errors.js";
import { importLayout, isLayoutFile, JOBS_DIR, MANIFEST_DIR } from "../../import/layout.js";
import type { SourceFile } from "../../import/types.js";
import type { CliContext } from "../context.js";

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
    .action((dir: string, opts: { dryRun?: boolean }) => {
      const root = resolve(ctx.cwd, dir);
      const target = join(root, CONFIG_FILE);
      if (!opts.dryRun && existsSync(target)) throw new UsageError(`${ctx.relative(target)} already exists; import never overwrites it`, ["pass --dry-run to print the imported config, or move the file away"]);
      const result = importLayout(readLayout(root));
      if (!result) throw new UsageError(`no Job manifest under ${ctx.relative(join(root, MANIFEST_DIR))}`, [`import reads the guide's layout: ${MANIFEST_DIR}/99-test-<name>-e2e.yaml and ${JOBS_DIR}/test-<name>-e2e/; pass the repository root as [dir]`]);
      // What import writes must pass validate; a failure here is our bug, caught before writing.
      parseConfig(result.text, target);
      if (opts.dryRun) ctx.stdout.write(result.text);
      else {
        writeFileSync(target, result.text, { flag: "wx" });
        ctx.stdout.write(`created: ${ctx.relative(target)} (${result.suites.length} suite${result.suites.length === 1 ? "" : "s"}: ${result.suites.join(", ")})\n`);
      }
      const rel = (p: string) => relative(ctx.cwd, join(root, p)) || p;
      ctx.stderr.write(
        result.unmapped.length
          ? `not carried over (${result.unmapped.length}):\n${result.unmapped.map((u) => `  ${rel(u.file)}:${u.line}: ${u.value}\n      ${u.why}\n`).join("")}`
          : "every value was carried over\n",
      );
      if (!opts.dryRun) ctx.stderr.write(`next: incluster validate && incluster render ${result.suites[0] ?? "<suite>"}\n`);
    });
}

/** The layout's files under root (only those import reads). */
function readLayout(root: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string, depth: number) => {
    if (!existsSync(dir) || depth > 3) return;
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      const path = relative(root, abs).split("\\").join("/");
      if (statSync(abs).isDirectory()) walk(abs, depth + 1);
      else if (isLayoutFile(path)) out.push({ path, text: readFileSync(abs, "utf8") });
    }
  };
  walk(join(root, JOBS_DIR), 1);
  walk(join(root, MANIFEST_DIR), 2);
  return out;
}
