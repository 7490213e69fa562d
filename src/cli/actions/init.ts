// incluster init's action (loaded when the command runs; commands/init.ts declares it).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CONFIG_FILE } from "../../config/load.js";
import { parseConfig } from "../../config/parse.js";
import { listSuites } from "../../config/resolve.js";
import { starterConfig } from "../../config/starter.js";
import { UsageError } from "../../errors.js";
import type { CliContext } from "../context.js";
import { REPORT_ROOT, withReportsIgnored } from "../gitignore.js";
import { repoFacts } from "../repo-facts.js";

export function initAction(ctx: CliContext, opts: { dir: string }): void {
  const root = resolve(ctx.cwd, opts.dir);
  const target = join(root, CONFIG_FILE);
  if (existsSync(target)) {
    throw new UsageError(`${target} already exists; init never overwrites it`, [`edit it, or remove it and run incluster init again`]);
  }
  const text = starterConfig(repoFacts(root));
  // What init writes must pass validate; a failure here is our bug, caught before writing.
  const suites = listSuites(parseConfig(text, target));
  writeFileSync(target, text, { flag: "wx" });
  ctx.stdout.write(`created: ${target} (${suites.length} suite${suites.length === 1 ? "" : "s"}: ${suites.join(", ")})\n`);
  // Run reports (.incluster/runs/<id>/) are per machine: keep them out of git.
  const ignore = join(root, ".gitignore");
  const had = existsSync(ignore);
  const next = withReportsIgnored(had ? readFileSync(ignore, "utf8") : undefined);
  if (next !== undefined) {
    writeFileSync(ignore, next);
    ctx.stdout.write(`${had ? "updated" : "created"}: ${ignore} (added ${REPORT_ROOT}: run reports stay out of git)\n`);
  }
  ctx.stderr.write(`next: set image.registry and namespace, then run: incluster validate\n`);
}
