// incluster validate: check incluster.yaml and print every problem at once.
import type { Command } from "commander";
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
    .action(async () => (await import("../actions/validate.js")).validateAction(ctx));
}
