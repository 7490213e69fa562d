#!/usr/bin/env node
// Issue 19: a 10 MB config of thousands of bad suites must have its problems reported (the first
// 50 and a count of the rest, exit 2) within 5 s. A config over CONFIG_MAX_BYTES (2 MiB) is
// refused by its size at once; every shape of bad suite is also generated just under the cap,
// where it is parsed and checked whole, beside as many bytes of good one-line suites (exit 0).
// Sizes: --mb (default "10,cap"). Times `incluster validate` (wall and CPU, median of --runs).
// Writes only under a temp dir.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { arg, cli, emit, log, median, row } from "./lib.mjs";

// Just under src/config/load.ts's CONFIG_MAX_BYTES (2 MiB): the biggest config that is read.
const CAP_MB = 2 - 1 / 1024;
const sizes = arg("--mb", "10,cap").split(",").map((m) => (m === "cap" ? CAP_MB : Number(m)));
const rounds = Number(arg("--runs", "3"));
const dir = mkdtempSync(join(tmpdir(), "incluster-bench-bad-config-"));
const HEAD = `apiVersion: incluster.dev/v1alpha1
kind: Config
image: { registry: registry.internal/team }
source: { git: { url: "https://git.internal/team/app.git", ref: main } }
suites:
`;
// Each shape of suite: one entry of the suites mapping.
const shapes = {
  "good one-line suites": (i) => `  s${i}: { test: tests/e2e/test_${i}.py }\n`,
  "one-line suites with a bad timeout": (i) => `  s${i}: { timeout: soon, test: tests/e2e/test_${i}.py }\n`,
  "40 unknown long fields each": (i) => `  s${i}:\n    test: t\n${Array.from({ length: 40 }, (_, k) => `    tset${k}_${"x".repeat(40)}: 1\n`).join("")}`,
  "bad names and five bad fields each": (i) => `  S_${i}_${"Q".repeat(200)}:\n    test: t\n    timeout: soon\n    retries: -1\n    shards: 0\n    cpu: lots\n    memory: lots\n`,
  "a 3,000-character timeout each": (i) => `  s${i}:\n    test: t\n    timeout: "${"9".repeat(3000)}"\n`,
  "60 bad env entries each": (i) => `  s${i}:\n    test: t\n    env:\n${Array.from({ length: 60 }, (_, k) => `      "bad key ${k}": { nope: 1 }\n`).join("")}`,
};

function generate(shape, mb) {
  const parts = [HEAD];
  let bytes = HEAD.length;
  let n = 0;
  // Up to mb megabytes and no further: a file just under the cap must stay under it.
  for (;;) {
    const p = shapes[shape](n);
    if (bytes + p.length > mb * 1024 * 1024) break;
    parts.push(p);
    bytes += p.length;
    n++;
  }
  const file = join(dir, `${mb}-${shape.replace(/\W+/g, "-")}.yaml`);
  writeFileSync(file, parts.join(""));
  return { file, suites: n };
}

/** One `validate`: wall and CPU milliseconds, exit code, and the last line of stderr. */
function validate(file) {
  const t = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "CPU %U %S", process.execPath, cli, "-c", file, "validate"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 1 << 26 });
  const wallMs = Number(process.hrtime.bigint() - t) / 1e6;
  const lines = r.stderr.trim().split("\n");
  const cpu = /^CPU ([\d.]+) ([\d.]+)$/.exec(lines.at(-1) ?? "");
  const status = Number(/Command exited with non-zero status (\d+)/.exec(r.stderr)?.[1] ?? 0);
  return { wallMs, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN, status, last: lines.filter((l) => !/^(CPU |Command exited)/.test(l)).at(-1) ?? "" };
}

const rows = [];
try {
  for (const mb of sizes) {
    const refused = mb > 2;
    const size = refused ? `${mb} MB` : "2 MiB - 1 KiB";
    for (const shape of Object.keys(shapes)) {
      const { file, suites } = generate(shape, mb);
      const runs = Array.from({ length: rounds }, () => validate(file));
      const wall = median(runs.map((r) => r.wallMs));
      const cpu = median(runs.map((r) => r.cpuMs));
      const good = shape.startsWith("good");
      const status = runs[0]?.status;
      const want = good && !refused ? 0 : 2;
      log(`${size}, ${suites} suites, ${shape}: exit ${status}, median ${(wall / 1000).toFixed(1)} s wall, ${(cpu / 1000).toFixed(1)} s CPU; ${runs[0]?.last}`);
      rows.push(row(`validate, ${size}: ${suites} ${shape} (s wall; exit ${status})`, `${(cpu / 1000).toFixed(1)} s CPU`, `${(wall / 1000).toFixed(1)} s`, (wall / 1000).toFixed(1), `≤ 5 s, exit ${want}${refused ? " (refused by size)" : ""}`, wall <= 5000 && status === want));
    }
  }
  emit(rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
