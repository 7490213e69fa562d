#!/usr/bin/env node
// Benchmark: re-running an unchanged suite's image step. incluster (`incluster build`: hash the
// inputs, HEAD the registry, skip build and push) against the guide's way (`podman build` +
// `podman push` of a mutable tag every time, with podman's own layer cache). Alternating, several
// times each; prints every time, the medians and their ratio.
//
//   npm run build && npm run cluster:up && npm run bench:rebuild-skip [-- --runs 7]
//
// Needs podman and the test cluster's registry on 127.0.0.1:5000.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { emit, row } from "./lib.mjs";

const root = resolve(import.meta.dirname, "..");
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
const cli = join(root, "bin/incluster.js");
const base = "127.0.0.1:5000/incluster/python:3.11-pytest";

// The project's podman settings, as the integration tests use them.
const podmanEnv = Object.fromEntries(
  execFileSync("bash", ["-c", `. "${root}/test/cluster/images/podman-env.sh" && env -0`], { encoding: "utf8" })
    .split("\0")
    .filter((kv) => kv.includes("="))
    .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
);
const env = { ...process.env, ...podmanEnv, NO_COLOR: "1" };

// A suite like the guide's: its own Dockerfile copying a runner script and some test support code.
const dir = mkdtempSync(join(tmpdir(), "incluster-bench-rebuild-"));
mkdirSync(join(dir, "jobs/test-bench-e2e/support"), { recursive: true });
writeFileSync(
  join(dir, "jobs/test-bench-e2e/Dockerfile"),
  `FROM ${base}\nUSER 0\nCOPY jobs/test-bench-e2e/support /app/support\nRUN python3 -m compileall -q /app/support\nCOPY jobs/test-bench-e2e/run_test.py /app/run_test.py\nUSER 1000:1000\nWORKDIR /workspace\n`,
);
writeFileSync(join(dir, "jobs/test-bench-e2e/run_test.py"), "import sys\nsys.exit(0)\n");
for (let i = 0; i < 50; i++) writeFileSync(join(dir, `jobs/test-bench-e2e/support/m${i}.py`), `def f${i}():\n    return ${i}\n`.repeat(20));
writeFileSync(
  join(dir, "incluster.yaml"),
  `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: incluster-demo
image: { registry: 127.0.0.1:5000/incluster-bench, base: ${base}, engine: podman }
source: { image: {} }
suites:
  bench:
    test: tests
    build: { dockerfile: jobs/test-bench-e2e/Dockerfile, context: . }
`,
);
const guideTag = "127.0.0.1:5000/incluster-bench/test-bench-e2e:v0.1.0";

function timed(argv) {
  const t = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { cwd: dir, env, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed (${r.status}):\n${r.stderr}`);
  return { ms, stdout: r.stdout };
}
// cache: podman's layer cache as on the developer's machine; without: as on a CI runner with no
// layer cache (the base image is still local here, so a real fresh runner is slower yet).
const guide = (cache = true) =>
  timed(["podman", "build", "-q", ...(cache ? [] : ["--no-cache"]), "-t", guideTag, "-f", "jobs/test-bench-e2e/Dockerfile", "."]).ms + timed(["podman", "push", "--tls-verify=false", guideTag]).ms;
const incluster = () => timed([process.execPath, cli, "-c", join(dir, "incluster.yaml"), "build"]);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sec = (ms) => (ms / 1000).toFixed(2);

try {
  // Warm-up, not counted: both ways build and push once (layer cache, registry blobs).
  const first = incluster();
  const firstGuide = guide();
  console.error(`warm-up: incluster build ${sec(first.ms)} s (${first.stdout.trim()}), guide build+push ${sec(firstGuide)} s`);
  const a = [];
  const c = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    const g = guide();
    const gc = guide(false);
    const r = incluster();
    if (!/ skipped$/.test(r.stdout.trim())) throw new Error(`expected a skip, got: ${r.stdout}`);
    a.push(g);
    c.push(gc);
    b.push(r.ms);
    console.error(`run ${i + 1}/${runs}: guide (podman build + push) ${sec(g)} s, guide without layer cache ${sec(gc)} s, incluster build (skipped) ${sec(r.ms)} s`);
  }
  const mg = median(a);
  const mc = median(c);
  const mi = median(b);
  console.error("");
  console.error(`median over ${runs} unchanged re-runs:`);
  console.error(`  guide, rebuild + push every time (warm layer cache):  ${sec(mg)} s`);
  console.error(`  guide without layer cache (--no-cache, base present): ${sec(mc)} s`);
  console.error(`  incluster build (content tag found, build+push skipped): ${sec(mi)} s`);
  console.error(`  ratio vs warm cache: incluster takes ${(mi / mg).toFixed(3)} of the guide's time (${(mg / mi).toFixed(1)}x faster)`);
  console.error(`  ratio vs no cache:   incluster takes ${(mi / mc).toFixed(3)} of the guide's time (${(mc / mi).toFixed(1)}x faster)`);
  const paired = median(b.map((x, i) => x / a[i]));
  emit([row("rebuild of an unchanged suite vs podman build + push", `${sec(mg)} s`, `${sec(mi)} s`, paired.toFixed(3), "skip (≪ 1)", paired < 0.5)]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
