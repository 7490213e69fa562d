// `incluster doctor`: every preflight check at once, each failure with its fix.
import { MIN_KUBERNETES_TEXT } from "../../names.js";
import type { Command } from "commander";
import type { CliContext } from "../context.js";

export function registerDoctor(program: Command, ctx: CliContext): void {
  program
    .command("doctor")
    .summary("check everything a run needs, and say how to fix what is missing")
    .description(
      [
        [
          `Checks the kubeconfig context, that the API server answers and runs Kubernetes ${MIN_KUBERNETES_TEXT} or newer, that the namespace exists,`,
          "every permission a run uses (SelfSubjectAccessReview) and that each suite has an image;",
          "for suites incluster builds, that an image engine is on PATH and the registry answers;",
          "the source as run resolves it (git repository, remote reachable, ref or base commit pushed);",
          "that the clone and base images exist in their registries; that the Secrets and ConfigMaps",
          "env references exist; that every env host naming a Service of the namespace is one.",
          "Images are shown with the content tags run would use.",
          "A check it could not make (no permission to look, no answer) is shown as ?, never as ok.",
          "Creates nothing. Exit 0 when none fails, 3 otherwise.",
        ].join(" "),
        "",
        "Examples:",
        "  # everything a run of this config needs, in the current context",
        "  incluster doctor",
        "  # another cluster and namespace",
        "  incluster doctor --context staging -n e2e",
      ].join("\n"),
    )
    .action(async () => (await import("../actions/doctor.js")).doctorAction(ctx));
}
