// Bundles the CLI and the library into dist/: the Kubernetes client costs ~0.75 s to import
// unbundled (../shared/notes/performance.md), ~0.2 s bundled. The entries share chunks
// (splitting). Each command's action (src/cli/actions/*.ts) is imported by import() when the
// command runs, so it is a chunk of its own: `--help` loads commander and the help text only,
// validate/render add yaml, zod and config/, and the kube port, OpenTelemetry, tar and the XML
// libraries load only for the commands that use them (docs/architecture.md, "Start-up").
// Not minified: measured no faster to start (paired runs of validate and render), and stack traces stay readable.
// Declarations: tsconfig.build.json (npm run build).
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
