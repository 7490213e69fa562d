// `incluster history [suite...]`: each suite's tests over its recent runs (api/history's readHistory).
import type { Command } from "commander";
import { Option } from "commander";
import type { CliContext } from "../context.js";
import type { HistoryFlags } from "../actions/history.js";

export function registerHistory(program: Command, ctx: CliContext): void {
  program
    .command("history")
    .summary("show each suite's tests over its recent runs: flake rate, durations, last status")
    .description(
      [
        "Reads the run history incluster keeps per suite (history.store: by default one",
        "ConfigMap per suite in the namespace) and prints one row per test: runs, passed,",
        "failed, flaky, flake rate, median and p90 duration, last status, quarantined.",
        "",
        "Examples:",
        "  incluster history",
        "  # the flakiest tests of one suite first",
        "  incluster history smoke --flaky",
        "  # the slowest first, as JSON",
        "  incluster history --slow -o json",
        "  # a history kept in a folder (history.store: dir:...)",
        "  incluster history --history dir:.incluster/history",
      ].join("\n"),
    )
    .argument("[suite...]", "suites to show (default: every suite with a history)")
    .option("--flaky", "most flaky tests first (flake rate, then flaky runs)")
    .option("--slow", "slowest tests first (median, then p90 duration)")
    .option("--history <store>", "the store to read: cluster or dir:<path> (default: history.store, else cluster)")
    .addOption(new Option("-o, --output <format>", "a document on stdout instead of the table").choices(["json"]))
    .action(async (names: string[], flags: HistoryFlags) => (await import("../actions/history.js")).historyAction(ctx, names, flags));
}
