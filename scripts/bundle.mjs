// Bundles the CLI and the library into dist/: the Kubernetes client costs ~0.75 s to import
// unbundled (../shared/notes/performance.md), ~0.2 s bundled. Both entries share chunks
// (splitting), and the kube port stays a separate chunk so commands that never talk to a cluster
// (render, validate, scaffold, init) never load it. Declarations: tsconfig.build.json (npm run build).
// --clean empties dist/ first, so a packed tarball holds no chunk of an older build (prepack).
import { rmSync } from "node:fs";
import { build } from "esbuild";

if (process.argv.includes("--clean")) rmSync("dist", { recursive: true, force: true });

await build({
  entryPoints: { cli: "src/cli/main.ts", index: "src/index.ts", action: "src/ci/action-main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
