// incluster doctor's action (loaded when the command runs; commands/doctor.ts declares it).
import { resolveSuite, listSuites } from "../../config/resolve.js";
import { ExitCode } from "../../exit-codes.js";
import { stringify } from "yaml";
import { accessRole } from "../../render/access-role.js";
import { inClusterServiceAccount, serviceAccountBinding } from "../../ci/in-cluster.js";
import { describeAccess, preflight, uncheckedCheck } from "../../run/preflight.js";
import type { PreflightCheck } from "../../run/preflight.js";
import { HISTORY_WITHOUT, historyAccess } from "../../history/access.js";
import { parseHistoryStore } from "../../config/history.js";
import type { ClusterPort } from "../../kube/port.js";
import { realSetTimer } from "../../timers.js";
import { dirname } from "node:path";
import { buildChecks } from "../build-step.js";
import { checkLine, checksSummary, pullChecks, requiredFailures, serviceChecks, sourceCheck, withRunTags } from "../doctor-checks.js";
import { connect } from "../connect.js";
import type { CliContext } from "../context.js";
import { loadForCommand } from "../load-config.js";
import { withContextNamespace } from "../namespace.js";
import { outputStyle } from "../run-output.js";

export async function doctorAction(ctx: CliContext): Promise<void> {
  const loaded = loadForCommand(ctx);
  const port = await connect(ctx.globals());
  // -n, INCLUSTER_NAMESPACE and the file are in the loaded config; the context comes next.
  const config = withContextNamespace(loaded.config, port);
  const configDir = dirname(loaded.path);
  // The content tags run would use, not :latest.
  const suites = withRunTags(config, listSuites(config).map((n) => resolveSuite(config, n)), configDir);
  const namespace = config.namespace;
  const report = await preflight(port, namespace, suites, { setTimer: realSetTimer });
  // Suites incluster builds also need an engine here and a registry that answers.
  report.checks.push(...(await buildChecks(ctx, config, suites)));
  // What run would find only later: the source, the images it pulls, the Services env names.
  // A server that did not answer the preflight is not asked again (it would not answer either).
  const services =
    report.serverVersion !== undefined
      ? await serviceChecks(port, namespace, suites)
      : [uncheckedCheck("Services named in env", "the API server did not answer")];
  report.checks.push(await sourceCheck(suites, configDir), ...(await pullChecks(config, suites)), ...services);
  // The run history's ConfigMaps (history.store: cluster, the default): optional, as run treats them.
  if (report.serverVersion !== undefined && parseHistoryStore(config.history?.store ?? "cluster")?.kind === "cluster") {
    const h = await historyChecks(port, namespace);
    report.checks.push(...h.checks);
    report.denied.push(...h.denied);
  }
  const style = outputStyle(ctx.stderr, ctx.env);
  const failed = requiredFailures(report.checks);
  ctx.stdout.write(`${report.checks.map((c) => checkLine(style, c)).join("\n")}\n${checksSummary(report.checks)}\n`);
  const sa = inClusterServiceAccount(ctx.globals().kubeconfig, ctx.env);
  if (report.denied.length && sa) {
    // In a runner pod: the Role and its binding to this pod's ServiceAccount, ready to apply.
    const role = accessRole(namespace, report.denied);
    ctx.stdout.write(
      [
        "",
        `# This pod runs as ServiceAccount ${sa.namespace}/${sa.name}. ` +
          `The Role it needs in ${namespace} and its binding (kubectl apply -f - as an admin of ${namespace}):`,
        stringify(role).trimEnd(),
        "---",
        stringify(serviceAccountBinding(role, sa)).trimEnd(),
        "",
      ].join("\n"),
    );
  } else if (report.denied.length) {
    // Exactly what is missing, as a Role an admin can apply; the binding needs your user name.
    ctx.stdout.write(
      [
        "",
        `# A Role granting the missing permissions (kubectl apply -f - as an admin of ${namespace}), then bind it:`,
        `#   kubectl -n ${namespace} create rolebinding incluster-runner --role incluster-runner --user <you>   (or --serviceaccount ns:name)`,
        stringify(accessRole(namespace, report.denied)).trimEnd(),
        "",
      ].join("\n"),
    );
  }
  ctx.setExitCode(failed ? ExitCode.couldNotRun : ExitCode.ok);
}

/** configmaps get/list/create/update for the run history: one optional check per verb, the denied ones for the Role. */
async function historyChecks(port: ClusterPort, namespace: string): Promise<{ checks: PreflightCheck[]; denied: ReturnType<typeof historyAccess> }> {
  const wanted = historyAccess(namespace);
  try {
    const results = await port.accessReview(wanted);
    const checks = results.map((r) => ({
      name: `may ${describeAccess(r)} (run history)`,
      ok: r.allowed,
      optional: true,
      detail: r.allowed ? "allowed" : `forbidden: ${HISTORY_WITHOUT}`,
      ...(r.allowed ? {} : { fix: `grant "${r.verb}" on configmaps in namespace ${namespace}, or set history.store: none` }),
    }));
    return { checks, denied: wanted.filter((_, i) => results[i] && !results[i].allowed) };
  } catch {
    return { checks: [uncheckedCheck("may use configmaps (run history)", "the access review was refused")], denied: [] };
  }
}
