// Builds the GitHub Action's entry, action/index.mjs, the `runs.main` of action.yml.
//
// GitHub runs a JavaScript action straight from the repository at the ref named in `uses:`, with
// no `npm install` and no build, so the file is committed and holds everything: the library and
// every dependency in one ESM file (no code splitting, no source map, no file read at run time).
// It is ESM because src/ci/action-main.ts awaits at the top level, and `.mjs` so that Node reads
// it as ESM whatever a package.json next to it says.
//
// The output is deterministic (esbuild, paths relative to the repository root, no timestamps), so
// `--check` rebuilds it to a temp file and fails when the committed file differs: CI's "check dist"
// (scripts/check.sh, .github/workflows/ci.yml). The output depends on src/, the installed
// dependencies (package-lock.json), esbuild's version and package.json's version: after changing
// any of them, `npm run build:action` and commit action/index.mjs.
//
//   node scripts/build-action.mjs           writes action/index.mjs
//   node scripts/build-action.mjs --check   exit 1 when action/index.mjs is not what the source builds
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = "action/index.mjs";
process.chdir(root);

/**
 * The source imports package.json for its version; the whole file inlined would make every edit of
 * its scripts or dependency ranges a change of the committed action. Only name and version go in.
 */
const packageVersionOnly = {
  name: "package-version-only",
  setup(b) {
    b.onLoad({ filter: /[/\\]package\.json$/ }, (a) => {
      if (a.path !== join(root, "package.json")) return undefined;
      const { name, version } = JSON.parse(readFileSync(a.path, "utf8"));
      return { contents: JSON.stringify({ name, version }), loader: "json" };
    });
  },
};

async function buildTo(outfile) {
  await build({
    entryPoints: ["src/ci/action-main.ts"],
    outfile,
    bundle: true,
    splitting: false,
    format: "esm",
    platform: "node",
    target: "node24",
    sourcemap: false,
    legalComments: "eof", // the bundled packages' licence notices stay in the shipped file
    logLevel: "warning",
    plugins: [packageVersionOnly],
    // Bundled CommonJS packages call require() for Node's built-ins; an ES module has none.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}

function firstDifferentLine(a, b) {
  const x = a.toString("utf8").split("\n");
  const y = b.toString("utf8").split("\n");
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i + 1;
}

if (process.argv.includes("--check")) {
  const dir = mkdtempSync(join(tmpdir(), "incluster-action-"));
  try {
    const fresh = join(dir, "index.mjs");
    await buildTo(fresh);
    let committed;
    try {
      committed = readFileSync(OUT);
    } catch {
      committed = undefined;
    }
    const built = readFileSync(fresh);
    if (!committed || !committed.equals(built)) {
      const why = committed ? `stale: first difference at line ${firstDifferentLine(committed, built)}` : "missing";
      console.error(`${OUT} is not what src/ builds (${why}): run \`npm run build:action\` and commit ${OUT}`);
      process.exitCode = 1;
    } else console.error(`${OUT} is what src/ builds`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else await buildTo(OUT);
