// incluster logs's action (loaded when the command runs; commands/logs.ts declares it): a shell over
// the library's logs() that prints saved logs or the followed Job's lines, headers on stderr.
import { logs } from "../../api/logs.js";
import { stateText } from "../../diagnose/job-state.js";
import { TEST_CONTAINER } from "../../names.js";
import type { CliContext } from "../context.js";
import { namespaceOverride, optionalConfig } from "../namespace.js";

export async function logsAction(ctx: CliContext, target: string, flags: { reportDir: string }): Promise<void> {
  const g = ctx.globals();
  const r = await logs(target, {
    cwd: ctx.cwd,
    runsDir: flags.reportDir,
    ...(g.kubeconfig ? { kubeconfig: g.kubeconfig } : {}),
    ...(g.context ? { context: g.context } : {}),
    // Read by logs() only once it connects (a saved run needs no cluster, no namespace, no config file).
    get namespace() {
      return namespaceOverride(ctx);
    },
    get config() {
      return optionalConfig(ctx);
    },
    onSavedLog: (l, text) => {
      ctx.stderr.write(`==> ${l.suite}/${l.container} (${ctx.relative(l.path)}) <==\n`);
      ctx.stdout.write(text);
    },
    onJob: (job) => ctx.stderr.write(`==> job/${job} <==\n`),
    onLine: (container, line) => ctx.stdout.write(`[${container === TEST_CONTAINER ? "test" : "clone"}] ${line}\n`),
    ...(g.verbose ? { onNote: (text: string) => ctx.stderr.write(`incluster: ${text}\n`) } : {}),
  });
  if (r.from === "cluster") ctx.stderr.write(r.state ? `==> job/${r.job}: ${stateText(r.state)} <==\n` : `==> job/${r.job} was deleted <==\n`);
}
