// Bundles the library and the CLI into dist/ (docs/architecture.md, "Start-up"; figures in
// docs/performance.md). Everything the package runs is in dist/: the published package has no
// dependencies (package.json lists the bundled packages as devDependencies).
//
// - The library (`import … from "incluster"`, dist/index.js) is ESM with chunks: the Kubernetes
//   client costs ~0.75 s to import unbundled, ~0.2 s bundled. (The GitHub Action is one committed
//   file of its own, action/index.mjs: scripts/build-action.mjs.)
// - The CLI is one CommonJS file, dist/cli.cjs, that bin/incluster.js compiles from V8's code cache
//   (dist/cli.cjs.cache, written here by a training run): compiling yaml, zod, commander and our
//   own code was a third of `validate`'s start-up. Each command's action is still reached by
//   import(), which esbuild turns into a lazy module initialiser inside the file, so a command
//   only runs the code it needs.
// - The heavy packages (Kubernetes client, OpenTelemetry, tar, the XML libraries) are in neither:
//   every import of them goes through a file in src/vendor/, bundled on its own as
//   dist/vendor/<name>.cjs, which both bundles leave external: the CLI requires it, the library's
//   chunks import it (Node gives ESM the CommonJS file's named exports). One copy of the
//   Kubernetes client serves both, and it is read only when a cluster is contacted; dist/cli.cjs
//   stays ~0.6 MB.
// The library's files are not minified (measured no faster to start; stack traces stay readable).
// dist/cli.cjs drops whitespace and comments (names stay, for stack traces) and is pure ASCII, so
// bin/incluster.js reads it as latin1 into a one-byte string: 1.0 MB of UTF-8 with one non-ASCII
// comment character read as a two-byte string was 2.6 ms of every start, 0.7 MB of ASCII 1.2 ms.
// No source maps: the package does not ship them, and no shipped file may name one it lacks.
// Declarations: tsconfig.build.json, then scripts/types.mjs (npm run build). --clean empties dist/
// first, so a packed tarball holds no chunk of an older build (prepack).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
if (process.argv.includes("--clean")) rmSync("dist", { recursive: true, force: true });

const common = { bundle: true, platform: "node", target: "node22", sourcemap: false, logLevel: "warning" };

const vendorFiles = readdirSync("src/vendor").filter((f) => f.endsWith(".ts")).map((f) => basename(f, ".ts"));

/**
 * Imports of src/vendor/<name>.js stay external as "./vendor/<name>.cjs", resolved next to the
 * importing file (dist/cli.cjs, dist/index.js and its chunks are all in dist/).
 */
const vendorExternal = {
  name: "vendor-external",
  setup(b) {
    b.onResolve({ filter: /\/vendor\/[\w-]+\.js$/ }, (a) => {
      const name = basename(a.path, ".js");
      if (!vendorFiles.includes(name) || !a.importer.includes(`${join(root, "src")}/`)) return undefined;
      return { path: `./vendor/${name}.cjs`, external: true };
    });
  },
};

await build({
  ...common,
  entryPoints: { index: "src/index.ts" },
  outdir: "dist",
  splitting: true,
  format: "esm",
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  plugins: [vendorExternal],
});

/**
 * commander requires node:child_process at load time, for executable subcommands incluster does
 * not have; loading it (and net, dgram, stream with it) cost ~4 ms of every start. Here it is
 * required when first used.
 */
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (a) => (a.importer.includes("/node_modules/commander/") ? { path: "lazy-child-process", namespace: "lazy" } : undefined));
    b.onLoad({ filter: /.*/, namespace: "lazy" }, () => ({
      contents: `module.exports = new Proxy({}, { get: (_, key) => require("node:child_process")[key] });`,
      loader: "js",
    }));
  },
};

/**
 * commander is ESM and default-imports node:fs, node:path and node:process; esbuild's interop for
 * a default import of a CommonJS module copies each of its properties onto a new object
 * (__toESM), ~0.4 ms at every start for these three. Here each is an ES module whose default
 * export is the module itself: the same object commander gets from Node.
 */
const commanderBuiltins = {
  name: "commander-builtins",
  setup(b) {
    b.onResolve({ filter: /^node:(fs|path|process)$/ }, (a) => (a.importer.includes("/node_modules/commander/") ? { path: a.path, namespace: "builtin-default" } : undefined));
    b.onLoad({ filter: /.*/, namespace: "builtin-default" }, (a) => ({ contents: `export default require(${JSON.stringify(a.path)});`, loader: "js" }));
  },
};

/**
 * commander's Option tests every option's flags against /\p{ID_Continue}\.\.\.[>\]]$/u (variadic
 * values); compiling that Unicode property class is ~0.5 ms of every start, for ~40 options of
 * which none is variadic. Here the test runs only on flags that contain "...": the same answer.
 */
const VARIADIC_TEST = "/\\p{ID_Continue}\\.\\.\\.[>\\]]$/u.test(flags)";
const commanderVariadic = {
  name: "commander-variadic",
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]commander[\\/]lib[\\/]option\.js$/ }, (a) => {
      const js = readFileSync(a.path, "utf8");
      if (!js.includes(VARIADIC_TEST)) throw new Error(`${a.path}: commander's variadic test changed; update scripts/bundle.mjs (commanderVariadic)`);
      return { contents: js.replace(VARIADIC_TEST, `flags.includes("...") && ${VARIADIC_TEST}`), loader: "js" };
    });
  },
};

const cjs = { ...common, format: "cjs", charset: "ascii", outExtension: { ".js": ".cjs" }, supported: { "dynamic-import": false } };
await build({ ...cjs, minifyWhitespace: true, minifySyntax: true, entryPoints: { cli: "src/cli/main.ts" }, outdir: "dist", plugins: [vendorExternal, lazyChildProcess, commanderVariadic, commanderBuiltins] });
const nonAscii = readFileSync("dist/cli.cjs").findIndex((byte) => byte > 0x7f);
if (nonAscii !== -1) throw new Error(`dist/cli.cjs has a non-ASCII character at offset ${nonAscii}; bin/incluster.js reads it as latin1`);
await build({ ...cjs, entryPoints: Object.fromEntries(vendorFiles.map((n) => [n, `src/vendor/${n}.ts`])), outdir: "dist/vendor" });

// The code cache: a render of a config that uses most fields, so V8 caches the bytecode of the
// config, render and help paths (functions never run stay lazily compiled). bin/incluster.js
// ignores a cache V8 rejects (another Node version or other V8 flags) and keeps its own then.
const training = mkdtempSync(join(tmpdir(), "incluster-code-cache-"));
try {
  const cache = join(root, "dist/cli.cjs.cache");
  rmSync(cache, { force: true });
  writeFileSync(join(training, "incluster.yaml"), trainingConfig());
  const env = { ...process.env, INCLUSTER_BUILD_CODE_CACHE: cache, NO_COLOR: "1" };
  delete env.NODE_OPTIONS; // V8 rejects a cache made under other flags
  const r = spawnSync(process.execPath, [join(root, "bin/incluster.js"), "-c", join(training, "incluster.yaml"), "render", "train"], { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`code cache training (render train) exited ${r.status}: ${r.stderr}`);
} finally {
  rmSync(training, { recursive: true, force: true });
}

function trainingConfig() {
  return `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: train
source:
  git: { url: "https://git.example.com/app.git", ref: main }
defaults:
  image: registry.example.com/tests:1
  timeout: 10m
  retries: 1
  env: { MODE: e2e }
  resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { cpu: "1", memory: 256Mi } }
  scheduling:
    nodeSelector: { pool: tests }
    tolerations: [{ key: dedicated, operator: Equal, value: tests, effect: NoSchedule }]
suites:
  train:
    command: [pytest, -q, tests/]
    junit: reports/junit.xml
`;
}
