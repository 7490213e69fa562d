// Shared by the benchmarks: medians of paired ratios, the project's cluster, the one table.
// A bench prints its human lines to stderr and, last, one `BENCH_ROWS <json>` line on stdout
// that bench/all.mjs (npm run bench) collects into the table.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const root = resolve(import.meta.dirname, "..");
export const cli = join(root, "bin/incluster.js");

export const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Median of per-round ratios a[i]/b[i] (paired), never a ratio of medians. */
export const pairedRatio = (a, b) => median(a.map((x, i) => x / b[i]));
/** Median of per-round differences a[i]-b[i]. */
export const pairedDiff = (a, b) => median(a.map((x, i) => x - b[i]));

export function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
}

export function cluster() {
  const env = { ...process.env, KUBECONFIG: join(root, ".cluster/kubeconfig"), NO_COLOR: "1" };
  let kubectl;
  try {
    kubectl = readFileSync(join(root, ".cluster/env"), "utf8").match(/KUBECTL="([^"]+)"/)?.[1];
  } catch {
    /* no cluster */
  }
  if (!kubectl) throw new Error("no .cluster/env: run `npm run cluster:up` first");
  return { env, kubectl };
}

/**
 * One row of the table. baseline and incluster are raw medians (with their unit), ratio the
 * median of the paired ratios (or a count/limit for absolute figures), goal the goal;
 * met true or false against it, or null for a figure without a goal.
 */
export function row(figure, baseline, incluster, ratio, goal, met) {
  return { figure, baseline, incluster, ratio, goal, met };
}

export function emit(rows) {
  process.stdout.write(`BENCH_ROWS ${JSON.stringify(rows)}\n`);
}

export const log = (s) => process.stderr.write(`${s}\n`);

/** Peak RSS (VmHWM, kB) of a live process; 0 once it is gone. */
export function hwmKb(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
