// A sharded suite's plan from its run history, before render: `shards: auto` gets its count, and
// a suite whose runner balances its shards (its adapter's shardBalance) its split's weights, which
// every shard's pod uses to compute the same longest-first split: pytest's and go's by test (each
// test's median duration; a go test with its subtests'), node:test's, Jest's and Vitest's by file
// (the sum of its tests'). Playwright keeps its own split. Pure; a note says what was decided and why.
import type { ResolvedSuite } from "../config/resolve.js";
import type { SuiteHistory } from "../history/model.js";
import { autoShardCount, expectedTestTime, fileWeights, fitWeights, shardWeights } from "../history/shards.js";
import { runnerAdapter } from "../runners/index.js";

/** The weights go to the pods in one environment variable: well under Linux's 128 KiB for one (MAX_ARG_STRLEN). */
export const SHARD_WEIGHTS_MAX_CHARS = 96 * 1024;

/** The suite as it is rendered for this run, and a line for the run's notes. */
export function shardPlan(suite: ResolvedSuite, history: SuiteHistory | undefined): { suite: ResolvedSuite; notes: string[] } {
  const notes: string[] = [];
  const weights = shardWeights(history);
  let s = suite;
  if (suite.autoShards) {
    const { targetMs, max } = suite.autoShards;
    const count = autoShardCount(history, weights, targetMs, max);
    const { shards: _, ...rest } = suite;
    s = count > 1 ? { ...rest, shards: count } : rest;
    const why = weights
      ? `its last run's tests take ${seconds(expectedTestTime(history, weights))} by their median times; target ${seconds(targetMs)} a shard, at most ${max}`
      : "no run history yet";
    notes.push(`shards: auto → ${count} (${why})`);
  }
  const balance = s.runner.kind === "command" ? undefined : runnerAdapter(s.runner.kind).shardBalance;
  if ((s.shards ?? 1) > 1 && history && weights && balance) {
    const byFile = balance.by === "file";
    const groupOf = balance.by === "file" ? balance.fileOf : balance.unitOf;
    const w = groupOf ? fileWeights(history, weights, groupOf) : weights;
    const fit = fitWeights(w, SHARD_WEIGHTS_MAX_CHARS);
    s = { ...s, shardWeights: fit.weights };
    const known = Object.keys(w.durations).length;
    const what = byFile ? ["file(s) by the sum of their tests' median times", "the median file's"] : ["test(s) by their median times", "the suite's median"];
    const dropped = fit.dropped ? `; ${fit.dropped} of the shortest weigh the median, to fit the pods' environment` : "";
    notes.push(`shards balanced by time: ${known} ${what[0]}, others by ${what[1]} (${seconds(w.defaultMs)})${dropped}`);
  }
  return { suite: s, notes };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
