// What `render` says of a `shards: auto` suite, whose shard count run picks from the run history:
// the count it would pick (when render could read the history) or that run picks it, and what a
// count of N changes in the Job (Indexed, the shard env). Comment lines for stderr, so the
// manifests on stdout can still be piped to kubectl apply. Pure.
import type { ResolvedSuite } from "../config/resolve.js";
import { COMPLETION_INDEX_ANNOTATION, SHARD_COUNT_ENV, SHARD_INDEX_ENV, SHARD_WEIGHTS_ENV } from "../names.js";

/** Where render's count came from: the history it read (run's own decision, and its note), or why it has none. */
export type AutoShardsSource = { picked: number; note: string; store: string } | { store: string; unread: string };

/** The comment lines for a `shards: auto` suite; empty for any other. */
export function autoShardsText(suite: ResolvedSuite, source: AutoShardsSource): string {
  const auto = suite.autoShards;
  if (!auto) return "";
  const target = `${Math.round(auto.targetMs / 1000)}s`;
  const head =
    "picked" in source
      ? [
          `# ${source.note}: from the run history (history.store: ${source.store}), as run decides it now;`,
          `# the Job above has ${source.picked} shard(s). run reads the history again when it starts, so its count may differ.`,
        ]
      : [
          `# shards: auto: run picks the count when it starts, from the run history (history.store: ${source.store}; ${source.unread}):`,
          `# enough shards for about ${target} of test time each, at most ${auto.max}; 1 without history. The Job above is that 1-shard Job.`,
        ];
  return [
    ...head,
    "# With N > 1 shards the Job is Indexed (completionMode: Indexed, completions: N, parallelism: N, backoffLimitPerIndex: 0)",
    `# and the test container gets ${SHARD_INDEX_ENV} (metadata.annotations['${COMPLETION_INDEX_ANNOTATION}']), ${SHARD_COUNT_ENV}=N`,
    `# and, for pytest with history, ${SHARD_WEIGHTS_ENV} (each test's median duration: every shard computes the same split).`,
    "",
  ].join("\n");
}
