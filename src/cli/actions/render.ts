// incluster render's action (loaded when the command runs; commands/render.ts declares it).
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Config } from "../../config/schema.js";
import { placeholderProblems } from "../../config/placeholders.js";
import { resolveSuite, type ResolvedSuite } from "../../config/resolve.js";
import { toJson, toYaml } from "../../render/format.js";
import { renderSuite } from "../../render/suite.js";
import { unrestrictedWarnings } from "../../render/pod-template.js";
import { historyRule } from "../../history/access.js";
import { DEFAULT_HISTORY_STORE, parseHistoryStore } from "../../config/history.js";
import { autoShardsText, type AutoShardsSource } from "../../render/auto-shards.js";
import { buildPlatform, checkPlatformFlag } from "../build-flags.js";
import { loadForCommand } from "../load-config.js";
import type { CliContext } from "../context.js";

export async function renderAction(ctx: CliContext, suite: string, opts: { output: "yaml" | "json"; platform?: string }): Promise<void> {
  checkPlatformFlag(opts.platform);
  const { config, path } = loadForCommand(ctx);
  // A preview may show placeholders; validate and run refuse them.
  for (const p of placeholderProblems(config)) ctx.stderr.write(`warning: ${p} (validate and run refuse it)\n`);
  const resolved = resolveSuite(config, suite);
  for (const w of unrestrictedWarnings([resolved])) ctx.stderr.write(`warning: ${w}\n`);
  // shards: auto: the count run would pick, when the history is where render may read it.
  const auto = resolved.autoShards ? await autoShardsPreview(config, resolved, dirname(path)) : undefined;
  const objects = renderSuite(await builtImage(ctx, config, auto?.suite ?? resolved, dirname(path), opts.platform));
  ctx.stdout.write(opts.output === "json" ? toJson(objects) : toYaml(objects));
  if (auto) ctx.stderr.write(autoShardsText(resolved, auto.source));
  // Not an object of the suite: what whoever runs incluster needs for the run history (on stderr,
  // so the manifests on stdout can still be piped to kubectl apply).
  if (parseHistoryStore(config.history?.store ?? "cluster")?.kind === "cluster") ctx.stderr.write(historyRuleText(resolved.namespace));
}

/** The extra Role rule of the run history, as YAML comment lines. */
export function historyRuleText(namespace: string): string {
  const r = historyRule();
  return [
    `# history.store: cluster: whoever runs incluster also needs this rule in a Role in namespace ${namespace}`,
    "# (without it, the run goes on with one warning and keeps no history):",
    `# - apiGroups: [${r.apiGroups.map((g) => JSON.stringify(g)).join(", ")}]`,
    `#   resources: [${r.resources.join(", ")}]`,
    `#   verbs: [${r.verbs.join(", ")}]`,
    "",
  ].join("\n");
}

/**
 * A `shards: auto` suite as run would render it: with history.store dir:<path>, its history read
 * (a local file) and run's own decision (run/shard-plan.ts); the cluster store is not read (render
 * never connects), so the suite stays as a run without history has it.
 */
async function autoShardsPreview(config: Config, suite: ResolvedSuite, configDir: string): Promise<{ suite: ResolvedSuite; source: AutoShardsSource }> {
  const store = config.history?.store ?? DEFAULT_HISTORY_STORE;
  const spec = parseHistoryStore(store);
  if (spec?.kind !== "dir") {
    const unread = spec?.kind === "none" ? "none: no history, so 1" : "read by run, not by render, which never connects";
    return { suite, source: { store, unread } };
  }
  const [{ dirHistoryStore }, { shardPlan }, { realSetTimer }] = await Promise.all([
    import("../../history/dir-store.js"),
    import("../../run/shard-plan.js"),
    import("../../timers.js"),
  ]);
  try {
    const { histories } = await dirHistoryStore(resolve(configDir, spec.path), realSetTimer).read([suite.name]);
    const plan = shardPlan(suite, histories.get(suite.name));
    // shardPlan's first note is its shards: auto decision.
    const note = plan.notes[0] ?? "shards: auto";
    return { suite: plan.suite, source: { picked: plan.suite.shards ?? 1, note, store } };
  } catch (err) {
    return { suite, source: { store, unread: `could not read it: ${(err as Error).message}` } };
  }
}

/**
 * A suite incluster builds shows the content-hash tag `run <suite>` would use (reading files only,
 * no engine, no registry), for the same platform choice as the build step. Loaded only then: the
 * hashing (node:crypto) is a few ms of every other render's start-up.
 */
async function builtImage(ctx: CliContext, config: Config, suite: ResolvedSuite, configDir: string, platform: string | undefined): Promise<ResolvedSuite> {
  if (!suite.build) return suite;
  const [{ contextFiles }, { planBuild, withBuiltImage }] = await Promise.all([import("../../build/context-files.js"), import("../../build/plan.js")]);
  try {
    return withBuiltImage(suite, planBuild(suite, configDir, { readText: (p) => readFileSync(p, "utf8"), contextFiles }, buildPlatform(config, platform)).ref);
  } catch (err) {
    ctx.stderr.write(`note: cannot compute ${suite.name}'s content tag (${(err as Error).message}); showing ${suite.image}\n`);
    return suite;
  }
}
