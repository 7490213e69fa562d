#!/usr/bin/env node
// npm run bench: every benchmark in one session, one table (figure, baseline, incluster, ratio,
// goal). Each bench prints its details on stderr and its rows as `BENCH_ROWS <json>`.
//   npm run build && test/cluster/up --kwok-nodes 50 && npm run bench [-- --quick] [--only scale,startup]
import { spawnSync } from "node:child_process";
import { cpus, hostname, totalmem } from "node:os";
import { join } from "node:path";
import { arg, root } from "./lib.mjs";

const quick = process.argv.includes("--quick");
const benches = [
  ["startup", ["--runs", quick ? "5" : "20"]],
  ["run-overhead", ["--runs", quick ? "3" : "5"]],
  ["scale", ["--suites", quick ? "200" : "1000", "--runs", quick ? "1" : "2"]],
  // 100 suites × 1,000 test cases on kwok, their JUnit through the exec copies (issue 23).
  ["scale", ["--results", "--suites", quick ? "20" : "100", "--tests", "1000"]],
  ["logs-volume", ["--lines", quick ? "100000" : "1000000", "--runs", quick ? "1" : "3"]],
  ["rebuild-skip", ["--runs", quick ? "3" : "5"]],
  ["bad-config", ["--runs", quick ? "1" : "3"]],
  ["results-scale", quick ? ["--quick"] : ["--runs", "5"]],
  ["shard-balance", ["--runs", quick ? "1" : "3"]],
  ["dev-loop", ["--runs", quick ? "3" : "10"]],
];
const only = arg("--only", "")?.split(",").filter(Boolean) ?? [];
const rows = [];
for (const [name, args] of benches) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`\n== bench/${name}.mjs ${args.join(" ")}\n`);
  const r = spawnSync(process.execPath, [join(root, "bench", `${name}.mjs`), ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26 });
  const line = r.stdout.split("\n").find((l) => l.startsWith("BENCH_ROWS "));
  if (r.status !== 0 || !line) {
    rows.push({ figure: `${name}: failed (exit ${r.status})`, baseline: "", incluster: "", ratio: "", goal: "", met: false });
    continue;
  }
  rows.push(...JSON.parse(line.slice("BENCH_ROWS ".length)));
}
const cpu = cpus();
console.log(`incluster benchmarks, ${new Date().toISOString().slice(0, 10)}, ${hostname()}: ${cpu.length} × ${cpu[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log("");
console.log("| figure | baseline | incluster | ratio | goal | met |");
console.log("|---|---|---|---|---|---|");
// met: true or false against the goal; null for a figure with no goal (printed "—").
for (const r of rows) console.log(`| ${r.figure} | ${r.baseline} | ${r.incluster} | ${r.ratio} | ${r.goal} | ${r.met === null ? "—" : r.met ? "yes" : "**no**"} |`);
