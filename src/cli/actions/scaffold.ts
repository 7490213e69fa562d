// incluster scaffold's action (loaded when the command runs; commands/scaffold.ts declares it).
import { dirname, resolve } from "node:path";
import { resolveSuite } from "../../config/resolve.js";
import { DEFAULT_BASE_IMAGE } from "../../config/schema.js";
import { UsageError } from "../../errors.js";
import { scaffoldSuite } from "../../render/scaffold.js";
import { loadForCommand } from "../load-config.js";
import { describeWrites, writeFiles } from "../files.js";
import type { CliContext } from "../context.js";

export function scaffoldAction(ctx: CliContext, suiteName: string, opts: { force?: boolean; dir?: string }): void {
  const { config, path } = loadForCommand(ctx);
  const suite = resolveSuite(config, suiteName);
  const files = scaffoldSuite(suite, { baseImage: config.image?.base ?? DEFAULT_BASE_IMAGE });
  const root = opts.dir ? resolve(ctx.cwd, opts.dir) : dirname(path);
  const plan = writeFiles(root, files, opts.force === true);
  ctx.stdout.write(describeWrites(plan));
  const skipped = plan.filter((f) => f.action === "skip");
  if (skipped.length > 0) {
    throw new UsageError(
      `${skipped.length} file${skipped.length === 1 ? "" : "s"} already exist${skipped.length === 1 ? "s" : ""} ` +
        `and differ${skipped.length === 1 ? "s" : ""} from what scaffold writes; left alone`,
      [...skipped.map((f) => `${f.path}: differs; rerun with --force to overwrite it`)],
    );
  }
}
