#!/usr/bin/env node
// The saved log is complete whatever the kubelet rotates: runs the 1,000,000-line suite (80-byte
// lines at full speed) N times and checks each saved test-runner.log: every numbered line once,
// in order, none cut. Prints one row per run and the tally.
//
//   npm run build && npm run cluster:up && node bench/complete-log.mjs [--runs 20]
import { spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

const root = resolve(import.meta.dirname, "..");
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 20;
const env = { ...process.env, KUBECONFIG: join(root, ".cluster/kubeconfig"), NO_COLOR: "1" };
const dir = mkdtempSync(join(tmpdir(), "incluster-complete-log-"));
const COUNT = 1_000_000;

/** count, order, duplicates and cut lines of a saved log. */
async function check(file) {
  let expected = 1;
  let numbered = 0;
  let outOfOrder = 0;
  let cut = 0;
  for await (const raw of createInterface({ input: createReadStream(file) })) {
    // pytest -v -s prints the first line of output after the test's id, on the same line.
    const line = raw.replace(/^tests\/e2e\/test_many_lines\.py::test_many_lines /, "");
    const m = /^line (\d{7}) of 1000000(\.*)$/.exec(line);
    if (!m) {
      if (line.startsWith("line ")) cut++;
      continue;
    }
    if (line.length !== 79) cut++;
    numbered++;
    if (Number(m[1]) !== expected) outOfOrder++;
    expected = Number(m[1]) + 1;
  }
  return { numbered, outOfOrder, cut, complete: numbered === COUNT && outOfOrder === 0 && cut === 0 };
}

let complete = 0;
let missedLive = 0;
for (let i = 1; i <= runs; i++) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, "bin/incluster.js"), "-c", join(root, "test/integration/fixtures/faults.yaml"), "run", "million-lines", "-q", "-o", "json", "--report-dir", join(dir, String(i))], { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const s = JSON.parse(r.stdout).suites[0];
  const c = await check(join(dir, String(i), "million-lines", "test-runner.log"));
  const live = s.notes.find((n) => n.startsWith("live echo")) ?? "live echo complete";
  if (c.complete) complete++;
  if (live !== "live echo complete") missedLive++;
  console.log(`run ${String(i).padStart(2)}: exit ${r.status}, ${((performance.now() - t0) / 1000).toFixed(1)} s, saved ${c.numbered} lines, out of order ${c.outOfOrder}, cut ${c.cut}: ${c.complete ? "complete" : "INCOMPLETE"}; ${live}`);
  rmSync(join(dir, String(i)), { recursive: true, force: true });
}
console.log(`${complete} of ${runs} saved logs complete (${missedLive} runs where live following fell behind and the pod's own copy filled the gap)`);
rmSync(dir, { recursive: true, force: true });
process.exitCode = complete === runs ? 0 : 1;
