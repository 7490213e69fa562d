// The engine's results path (bench/results-pipeline.ts, bundled from src/ as the CLI bundles it)
// on JUnit files already on disk: read + parse, merge, report.html, result.json, peak RSS.
// bench/scale.mjs --results runs it on the JUnit a kwok run copied out of its pods.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { root } from "./lib.mjs";

/** Bundles the pipeline into dir/bin; returns a function that runs it on a manifest. */
export async function pipeline(dir) {
  await build({
    entryPoints: { pipeline: join(root, "bench/results-pipeline.ts") },
    outdir: join(dir, "bin"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    nodePaths: [join(root, "node_modules")],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: "warning",
  });
  /** manifest: { reportDir, suites: [{ suite, runner, attempts: [{ folder, junit, failed }] }] } → the pipeline's figures. */
  return (name, manifest) => {
    const file = join(dir, `${name}.json`);
    mkdirSync(manifest.reportDir, { recursive: true });
    writeFileSync(file, JSON.stringify(manifest));
    const r = spawnSync(process.execPath, [join(dir, "bin/pipeline.mjs"), file], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`pipeline ${name} exited ${r.status}: ${r.stderr.slice(-3000)}`);
    return JSON.parse(r.stdout.trim().split("\n").at(-1));
  };
}
