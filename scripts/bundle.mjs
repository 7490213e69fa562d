// Bundles the CLI into dist/: the Kubernetes client costs ~0.75 s to import unbundled
// (../shared/notes/performance.md), ~0.2 s bundled. The kube port stays a separate chunk so
// commands that never talk to a cluster (render, validate, scaffold, init) never load it.
import { build } from "esbuild";

await build({
  entryPoints: { cli: "src/cli/main.ts" },
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
