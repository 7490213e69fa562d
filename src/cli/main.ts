// The incluster program: global options, the list of commands, and the one error boundary that
// prints errors and sets the exit code (commands throw; they never call process.exit).
import { Command, CommanderError } from "commander";
import pkg from "../../package.json" with { type: "json" };
import { ExitCode } from "../exit-codes.js";
import { registerBuild } from "./commands/build.js";
import { registerClean } from "./commands/clean.js";
import { registerDebug } from "./commands/debug.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerHistory } from "./commands/history.js";
import { registerImport } from "./commands/import.js";
import { registerInit } from "./commands/init.js";
import { registerLogs } from "./commands/logs.js";
import { registerRender } from "./commands/render.js";
import { registerReport } from "./commands/report.js";
import { registerRun } from "./commands/run.js";
import { registerScaffold } from "./commands/scaffold.js";
import { registerStatus } from "./commands/status.js";
import { registerValidate } from "./commands/validate.js";
import { processContext, type CliContext, type GlobalOptions } from "./context.js";
import { describeError } from "../error-text.js";

/** Adding a command is one line here plus its file in commands/. */
const COMMANDS: readonly ((program: Command, ctx: CliContext) => void)[] = [
  registerInit,
  registerImport,
  registerValidate,
  registerRender,
  registerScaffold,
  registerBuild,
  registerRun,
  registerDebug,
  registerLogs,
  registerReport,
  registerStatus,
  registerHistory,
  registerClean,
  registerDoctor,
];

/** Builds the context a run of the program uses; tests pass their own (cwd, env, captured streams). */
export type ContextFactory = (globals: () => GlobalOptions) => CliContext;

export function buildProgram(makeContext: ContextFactory): { program: Command; ctx: CliContext } {
  const program = new Command("incluster");
  // The context reads the global flags lazily: they are parsed after the commands are registered.
  const ctx = makeContext(() => program.opts<GlobalOptions>());
  program
    .description("Run end-to-end test suites inside Kubernetes as Jobs.")
    .version(pkg.version, "-V, --version")
    .option("-c, --config <file>", "incluster.yaml to use (env INCLUSTER_CONFIG; default: found from the current directory upwards)")
    .option("-n, --namespace <namespace>", "namespace for the Jobs (env INCLUSTER_NAMESPACE; overrides the file)")
    .option("--context <name>", "kubeconfig context to use")
    .option("--kubeconfig <file>", "kubeconfig file (default: KUBECONFIG or ~/.kube/config)")
    .option("-v, --verbose", "more detail, including stack traces of unexpected errors")
    // Usage errors from commander itself go through the same boundary (exit 2).
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      // Wrap to the terminal, or at 80 columns when piped, so help text is the same everywhere else.
      getOutHelpWidth: () => (ctx.stdout.isTTY ? ctx.stdout.columns : 80),
      getErrHelpWidth: () => (ctx.stderr.isTTY ? ctx.stderr.columns : 80),
    })
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      `
Examples:
  # Write a starting incluster.yaml and check it
  incluster init && incluster validate

  # See the Job a suite would run, without a cluster
  incluster render smoke`,
    );
  for (const register of COMMANDS) register(program, ctx);
  return { program, ctx };
}

/**
 * Runs the CLI and sets the exit code through ctx.setExitCode: the one error boundary.
 * A command may set a code itself (run's verdict); a thrown error overrides it.
 */
export async function main(argv: string[], makeContext: ContextFactory = processContext): Promise<void> {
  const { program, ctx } = buildProgram(makeContext);
  let code: number | undefined;
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its message (or the help/version text).
      code = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    } else {
      const report = describeError(err, argv.includes("-v") || argv.includes("--verbose"));
      ctx.stderr.write(report.text);
      code = report.exitCode;
    }
  }
  if (code !== undefined) ctx.setExitCode(code);
}
