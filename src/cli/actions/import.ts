// incluster import's action (loaded when the command runs; commands/import.ts declares it).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { CONFIG_FILE } from "../../config/load.js";
import { parseConfig } from "../../config/parse.js";
import { UsageError } from "../../errors.js";
import { importLayout, isLayoutFile, JOBS_DIR, MANIFEST_DIR } from "../../import/layout.js";
import type { SourceFile } from "../../import/types.js";
import type { CliContext } from "../context.js";

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

export function importAction(ctx: CliContext, dir: string, opts: { dryRun?: boolean }): void {
  const root = resolve(ctx.cwd, dir);
  const target = join(root, CONFIG_FILE);
  if (!opts.dryRun && existsSync(target)) {
    throw new UsageError(`${ctx.relative(target)} already exists; import never overwrites it`, [
      "pass --dry-run to print the imported config, or move the file away",
    ]);
  }
  const result = importLayout(readLayout(root));
  if (!result) {
    throw new UsageError(`no Job manifest under ${ctx.relative(join(root, MANIFEST_DIR))}`, [
      `import reads the guide's layout: ${MANIFEST_DIR}/99-test-<name>-e2e.yaml and ${JOBS_DIR}/test-<name>-e2e/; pass the repository root as [dir]`,
    ]);
  }
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
}
