#!/usr/bin/env node
// P6: `--help`, `validate`, `render` against `node -e 0`, and validate of a 20,000-suite config,
// shuffled rounds in one session; paired ratios. Also what each command loads. Writes only under a temp dir.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { arg, cli, emit, log, median, pairedRatio, root, row } from "./lib.mjs";

const rounds = Number(arg("--runs", "20"));
const bigRounds = Number(arg("--big-runs", "5"));
const dir = mkdtempSync(join(tmpdir(), "incluster-bench-startup-"));
const small = join(root, "bench/trivial.yaml");
const big = join(dir, "big.yaml");
let y = "apiVersion: incluster.dev/v1alpha1\nkind: Config\nnamespace: bench\nsource: { image: {} }\ndefaults: { image: registry.internal/t:1 }\nsuites:\n";
for (let i = 0; i < 20000; i++) y += `  s${i}:\n    test: tests/t${i}.py\n`;
writeFileSync(big, y);

const time = (argv) => {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return ms;
};

// What each command reads besides dist/cli.cjs (which bin/incluster.js compiles from the code
// cache): the dist/vendor/*.cjs files it requires (a preload lists require.cache at exit), and
// whether V8 took the shipped cache (else the bin writes one of its own under XDG_CACHE_HOME).
const trace = join(dir, "trace.cjs");
writeFileSync(trace, `process.on("exit", () => { for (const f of Object.keys(require.cache)) if (f.includes("/dist/")) process._rawDebug("REQUIRED " + f.replace(/.*\\/dist\\//, "")); });`);
const ownCache = join(dir, "xdg-cache");
function loads(argv) {
  const r = spawnSync(process.execPath, ["--require", trace, ...argv], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", XDG_CACHE_HOME: ownCache } });
  const files = r.stderr.split("\n").filter((l) => l.startsWith("REQUIRED ")).map((l) => l.slice(9));
  const cli = statSync(join(root, "dist/cli.cjs")).size + statSync(join(root, "dist/cli.cjs.cache")).size;
  return `dist/cli.cjs + code cache (${(cli / 1024).toFixed(0)} KB)${files.length ? `, ${files.join(", ")}` : ", no vendor file"}; shipped code cache ${existsSync(ownCache) ? "REJECTED" : "taken"}`;
}

const cases = {
  node: ["-e", "0"],
  help: [cli, "--help"],
  validate: [cli, "-c", small, "validate"],
  render: [cli, "-c", small, "render", "trivial"],
};
const t = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
try {
  for (const k of ["help", "validate", "render"]) log(`${k} loads ${loads(cases[k])}`);
  for (let i = 0; i < rounds; i++) {
    for (const k of Object.keys(cases).sort(() => Math.random() - 0.5)) t[k].push(time(cases[k]));
  }
  const bigRuns = [];
  const bigNode = [];
  for (let i = 0; i < bigRounds; i++) {
    bigNode.push(time(cases.node));
    bigRuns.push(time([cli, "-c", big, "validate"]));
  }
  const ms = (x) => `${median(x).toFixed(0)} ms`;
  const r = (k) => pairedRatio(t[k], t.node);
  for (const k of Object.keys(cases)) log(`${k}: median ${ms(t[k])}${k === "node" ? "" : `, median of paired ratios ${r(k).toFixed(2)}`}`);
  log(`validate 20,000 suites: median ${ms(bigRuns)} (node -e 0: ${ms(bigNode)}), ${bigRounds} rounds`);
  emit([
    row(`P6 incluster --help vs node -e 0 (${rounds} rounds)`, ms(t.node), ms(t.help), r("help").toFixed(2), "≤ 1.5", r("help") <= 1.5),
    row("P6 incluster validate vs node -e 0", ms(t.node), ms(t.validate), r("validate").toFixed(2), "≤ 1.5", r("validate") <= 1.5),
    row("P6 incluster render vs node -e 0", ms(t.node), ms(t.render), r("render").toFixed(2), "≤ 1.5", r("render") <= 1.5),
    row(`validate, 20,000 suites (s, ${bigRounds} rounds)`, ms(bigNode), ms(bigRuns), (median(bigRuns) / 1000).toFixed(2), "≤ 1 s", median(bigRuns) <= 1000),
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
