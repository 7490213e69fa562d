// incluster validate: check incluster.yaml and print every problem at once.
import type { Command } from "commander";
import { listSuites } from "../../config/resolve.js";
import { loadForCommand } from "../load-config.js";
import type { CliContext } from "../context.js";

export function registerValidate(program: Command, ctx: CliContext): void {
  program
    .command("validate")
    .summary("check incluster.yaml and print every problem")
    .description("Check incluster.yaml against the schema and rules. Prints every problem with its path and exits 2, or prints ok.")
    .addHelpText(
      "after",
      `
Examples:
  # Check the incluster.yaml found from the current directory upwards
  incluster validate

  # Check another file
  incluster validate -c deploy/incluster.yaml`,
    )
    .action(() => {
      const { config, path } = loadForCommand(ctx);
      const n = listSuites(config).length;
      ctx.stdout.write(`ok: ${n} suite${n === 1 ? "" : "s"} in ${path}\n`);
    });
}
