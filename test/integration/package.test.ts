// The package as a user gets it: packed from the working tree without dist/ (as a clean clone or a
// git install has it, so prepack must build), installed from the tarball into an empty folder
// with --engine-strict, then used as a CLI, as a library from JavaScript (import and require) and
// TypeScript, and for one real run. Run under each supported Node (22, 24, 26: .ci/run puts
// scripts/node.sh's build first on PATH), it checks the package on that Node: npm, npx and tsc
// run under the Node that runs vitest.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KUBECONFIG, DEMO, ROOT, requireCluster } from "./support/cli.js";
import { packWorkingTree, type PackInfo } from "./support/pack.js";

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Done> {
  return new Promise((res) => {
    execFile(cmd, args, { cwd, timeout: 300_000, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: "1", ...env } }, (err, stdout, stderr) =>
      res({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

const CONFIG = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: demo
image: { registry: registry.internal/team, base: python:3.13-slim }
source: { git: { url: "https://git.internal/team/r.git", ref: main } }
suites:
  smoke:
    test: tests/e2e/test_smoke.py
`;

// An API server at a port nothing listens on.
const UNREACHABLE_KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]
users: [{ name: u, user: { token: not-a-secret } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;

// Uses the config and render from plain JavaScript, as `import ... from "incluster"` resolves it.
const LIB_MJS = `import { loadConfig, validateConfig, render, run, ExitCode } from "incluster";
const config = loadConfig({ path: "incluster.yaml" });
const objects = render(config, "smoke", { runId: "abc123" });
let problems = "";
try { validateConfig("kind: Config\\nsuites: {}\\n"); } catch (e) { problems = e.constructor.name; }
console.log(JSON.stringify({
  namespace: config.namespace,
  objects: objects.map((o) => o.kind + "/" + o.metadata.name),
  run: typeof run,
  usage: ExitCode.usage,
  problems,
}));
`;

// A correct use of the public types; type-checks only if the .d.ts resolve and are right.
const GOOD_TS = `import { loadConfig, run, ExitCode, type Config, type RunEvent, type RunOptions, type RunResult } from "incluster";
const config: Config = loadConfig({ path: "incluster.yaml" });
const suite: string | undefined = Object.keys(config.suites)[0];
const options: RunOptions = {
  suites: suite ? [suite] : [],
  failFast: "30s",
  onEvent: (e: RunEvent) => {
    if (e.type === "log") console.error(\`[\${e.suite}/\${e.container}] \${e.line}\`);
    else if (e.type === "suite.verdict") console.error(e.result.verdict, e.result.exitCode);
  },
};
const result: RunResult = await run(config, options);
const code: number = result.exitCode;
if (code === ExitCode.ok) console.log(result.suites.map((s) => s.verdict).join(","));
process.exitCode = code;
`;

// Each line is wrong in one way; every one must be an error, which \`any\` types would never give.
const WRONG_TS = `import { loadConfig, run, type RunEvent, type RunResult } from "incluster";
const config = loadConfig({ path: 42 });
const result: RunResult = await run(config, { suites: "smoke" });
const verdict: number = result.suites[0]!.verdict;
const onEvent = (e: RunEvent): string => e.line;
export { verdict, onEvent };
`;

const TSCONFIG = (...files: string[]) =>
  JSON.stringify({
    compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, types: ["node"] },
    files,
  });

/** README's "Use it as a library" example, so it cannot drift from the types. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const code = /## Use it as a library[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!code) throw new Error("README.md has no js example under \"## Use it as a library\"");
  return code;
}

// The same from CommonJS: require() of the ES module (Node >= 22.12), through the exports' default condition.
const LIB_CJS = `const { loadConfig, render, run, ExitCode } = require("incluster");
const config = loadConfig({ path: "incluster.yaml" });
const objects = render(config, "smoke", { runId: "abc123" });
console.log(JSON.stringify({ namespace: config.namespace, objects: objects.map((o) => o.kind + "/" + o.metadata.name), run: typeof run, usage: ExitCode.usage }));
`;

/** Bytes of the files under node_modules (what du --apparent-size counts), and the packages in it. */
function footprint(dir: string): { bytes: number; packages: string[] } {
  let bytes = 0;
  const packages: string[] = [];
  for (const f of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const st = statSync(join(dir, f), { throwIfNoEntry: false });
    if (st?.isFile()) bytes += st.size;
    // A package is node_modules/<name>/package.json or node_modules/@scope/<name>/package.json, at any depth.
    if (/(^|\/node_modules\/)(@[^/]+\/)?[^/@]+\/package\.json$/.test(f)) packages.push(dirname(f));
  }
  return { bytes, packages };
}

// Runs the library's run() and prints what a script would branch on; must exit by itself.
const RUN_MJS = `import { loadConfig, run } from "incluster";
const [configPath, kubeconfig] = process.argv.slice(2);
const result = await run(loadConfig({ path: configPath }), {
  suites: ["services"],
  kubeconfig,
  onEvent: (e) => { if (e.type === "suite.phase") console.error(e.suite, e.phase); },
});
console.log(JSON.stringify({ exitCode: result.exitCode, verdict: result.suites[0]?.verdict }));
`;

const tmp = mkdtempSync(join(tmpdir(), "incluster-package-"));
const app = join(tmp, "app");
let pack: PackInfo;
let packLog: string;
let install: Done;
let installed: { bytes: number; packages: string[] };

beforeAll(async () => {
  const packed = await packWorkingTree(tmp);
  pack = packed.info;
  packLog = packed.log;
  const byFolder = new Map<string, number>();
  for (const f of pack.files) {
    const top = /^(dist\/types|[^/]+)\//.exec(f.path)?.[1] ?? ".";
    byFolder.set(top, (byFolder.get(top) ?? 0) + 1);
  }
  console.log(`tarball ${pack.filename}: ${pack.size} bytes packed, ${pack.unpackedSize} unpacked, ${pack.entryCount} files (${[...byFolder].map(([d, n]) => `${d}: ${n}`).join(", ")})`);

  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  // The package alone first, as a user installs it, and measured; then @types/node for the .ts checks.
  install = await sh("npm", ["install", "--engine-strict", "--no-audit", "--no-fund", join(tmp, pack.filename)], app);
  expect(install.code, install.stderr).toBe(0);
  installed = footprint(join(app, "node_modules"));
  console.log(`installed on Node ${process.versions.node}: ${(installed.bytes / 1e6).toFixed(1)} MB in node_modules, ${installed.packages.length} package(s): ${installed.packages.join(", ")}`);
  const typesNode = (JSON.parse(readFileSync(join(ROOT, "node_modules/@types/node/package.json"), "utf8")) as { version: string }).version;
  const types = await sh("npm", ["install", "--no-audit", "--no-fund", `@types/node@${typesNode}`], app);
  expect(types.code, types.stderr).toBe(0);
  writeFileSync(join(app, "incluster.yaml"), CONFIG);
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the packed tarball", () => {
  it("is built once by npm pack (prepack; no prepare script building it again)", () => {
    expect(packLog.match(/^> \S+ (prepack|prepare|build)$/gm)?.map((l) => l.split(" ")[2])).toEqual(["prepack"]);
  });

  it("holds bin, the built dist (JS and .d.ts) and schema, and no tests, fixtures or sources", () => {
    const paths = pack.files.map((f) => f.path);
    for (const p of ["bin/incluster.js", "bin/package.json", "dist/cli.cjs", "dist/cli.cjs.cache", "dist/vendor/kube.cjs", "dist/index.js", "dist/types/index.d.ts", "schema/incluster.schema.json", "package.json"]) {
      expect(paths).toContain(p);
    }
    expect(paths.filter((p) => /^(test|src|scripts|examples|bench)\/|fixtures|\.test\.|\.map$/.test(p))).toEqual([]);
    expect(paths.filter((p) => p.startsWith("dist/types/") && !p.endsWith(".d.ts"))).toEqual([]);
  });

  it("names no source map (none ships), and has no dependencies: dist/ holds everything it runs", () => {
    const dist = join(app, "node_modules/incluster");
    const mapped = pack.files.filter((f) => /\.(c?js|d\.ts)$/.test(f.path) && /sourceMappingURL=/.test(readFileSync(join(dist, f.path), "utf8")));
    expect(mapped.map((f) => f.path)).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(dist, "package.json"), "utf8")) as { dependencies?: object; engines: { node: string } };
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.engines.node).toMatch(/^>=22\./);
  });

  it("ships declarations that point nowhere outside themselves (no src/, no test types, no other package but node:)", () => {
    const types = join(app, "node_modules/incluster/dist/types");
    for (const f of pack.files.filter((x) => x.path.startsWith("dist/types/"))) {
      const text = readFileSync(join(types, f.path.slice("dist/types/".length)), "utf8");
      // An import of vitest, not the word: "vitest" is a runner's name in the config's types.
      expect(text, f.path).not.toMatch(/from "(\.\.\/)+(src|test)\/|(from |import\()"vitest|package\.json/);
      expect(text.match(/(from |import\()"[^".][^"]*"/g)?.filter((m) => !m.includes('"node:')) ?? [], f.path).toEqual([]);
    }
  });
});

describe("the install", () => {
  it("passes --engine-strict with no warning, and is small: the package alone, one copy of the Kubernetes client, at most 30 MB", () => {
    expect(install.stderr).not.toMatch(/EBADENGINE|npm warn/i);
    expect(installed.packages).toEqual(["incluster"]);
    expect(installed.bytes).toBeLessThanOrEqual(30e6);
    // The client's generated API classes, wherever they are: once, in dist/vendor/kube.cjs.
    const dir = join(app, "node_modules");
    const copies = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => /\.(c?js|mjs)$/.test(f) && /(class|var) CoreV1ApiRequestFactory\b/.test(readFileSync(join(dir, f), "utf8")));
    expect(copies).toEqual(["incluster/dist/vendor/kube.cjs"]);
  });
});

describe("the installed package", () => {
  it("starts its CLI: `npx incluster --help` prints the usage", async () => {
    const r = await sh("npx", ["--no-install", "incluster", "--help"], app);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Usage: incluster");
    expect(r.stdout).toContain("run [options]");
  });

  it("imports as a library from JavaScript: loadConfig and render need no cluster", async () => {
    writeFileSync(join(app, "lib.mjs"), LIB_MJS);
    const r = await sh(process.execPath, ["lib.mjs"], app);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { namespace: string; objects: string[]; run: string; usage: number; problems: string };
    expect(out).toMatchObject({ namespace: "demo", run: "function", usage: 2, problems: "UsageError" });
    expect(out.objects).toContain("Job/test-smoke-e2e-abc123");
    expect(out.objects).toContain("ServiceAccount/test-smoke-e2e");
  });

  it("requires as a library from CommonJS: the same exports", async () => {
    writeFileSync(join(app, "lib.cjs"), LIB_CJS);
    const r = await sh(process.execPath, ["lib.cjs"], app);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(""); // no ExperimentalWarning either
    const out = JSON.parse(r.stdout) as { namespace: string; objects: string[]; run: string; usage: number };
    expect(out).toMatchObject({ namespace: "demo", run: "function", usage: 2 });
    expect(out.objects).toContain("Job/test-smoke-e2e-abc123");
  });

  it("loads the Kubernetes client only when it talks to a cluster: not on import of the library", async () => {
    // A module hook that names every file of the installed dist/ as Node loads it.
    writeFileSync(join(app, "trace-hooks.mjs"), `export async function load(url, ctx, next) { if (url.includes("/incluster/dist/")) process._rawDebug("LOADED " + url); return next(url, ctx); }`);
    writeFileSync(join(app, "trace.mjs"), `import { register } from "node:module"; register("./trace-hooks.mjs", import.meta.url);`);
    const r = await sh(process.execPath, ["--import", "./trace.mjs", "lib.mjs"], app);
    expect(r.code, r.stderr).toBe(0);
    const loaded = r.stderr.split("\n").filter((l) => l.startsWith("LOADED "));
    expect(loaded.length).toBeGreaterThan(1);
    expect(loaded.filter((l) => /\/client-[A-Z0-9]+\.js$|\/vendor\/kube\.cjs$/.test(l))).toEqual([]);
  });

  it("starts the CLI from the shipped code cache, and requires a vendor file only for the commands that need it", async () => {
    // The CLI is dist/cli.cjs compiled by bin/incluster.js; the heavy packages are dist/vendor/*.cjs,
    // required on first use. A preload names, at exit, every installed dist/ file Node required.
    writeFileSync(join(app, "trace.cjs"), `process.on("exit", () => { for (const f of Object.keys(require.cache)) if (f.includes("/incluster/dist/")) process._rawDebug("REQUIRED " + f.replace(/.*\\/incluster\\/dist\\//, "")); });`);
    const bin = join(app, "node_modules/incluster/bin/incluster.js");
    const required = async (args: string[], code = 0) => {
      const r = await sh(process.execPath, ["--require", "./trace.cjs", bin, ...args], app, { KUBECONFIG: join(app, "unreachable.kubeconfig"), XDG_CACHE_HOME: join(app, "xdg-cache") });
      expect(r.code, r.stderr).toBe(code);
      return r.stderr.split("\n").filter((l) => l.startsWith("REQUIRED ")).map((l) => l.slice(9)).sort();
    };
    for (const args of [["--help"], ["validate"], ["render", "smoke"]]) expect(await required(args), args.join(" ")).toEqual([]);
    // A cluster command: the API server at a port nothing listens on (exit 3, could not run).
    writeFileSync(join(app, "unreachable.kubeconfig"), UNREACHABLE_KUBECONFIG);
    expect(await required(["status"], 3)).toEqual(["vendor/kube.cjs"]);
    // The code cache V8 accepted: same Node as the build, so nothing is written to the user's cache.
    expect(existsSync(join(app, "xdg-cache", "incluster"))).toBe(false);
  });

  it("type-checks a correct use of RunResult, RunEvent, Config and RunOptions, and README's example (strict, NodeNext)", async () => {
    writeFileSync(join(app, "good.ts"), GOOD_TS);
    writeFileSync(join(app, "readme-example.ts"), readmeExample());
    writeFileSync(join(app, "tsconfig.json"), TSCONFIG("good.ts", "readme-example.ts"));
    const r = await sh(join(ROOT, "node_modules/.bin/tsc"), ["--noEmit", "-p", "tsconfig.json"], app);
    expect(r.code, r.stdout).toBe(0);
  });

  it("rejects a wrong use: the types are real, not any", async () => {
    writeFileSync(join(app, "wrong.ts"), WRONG_TS);
    writeFileSync(join(app, "tsconfig.wrong.json"), TSCONFIG("wrong.ts"));
    const r = await sh(join(ROOT, "node_modules/.bin/tsc"), ["--noEmit", "-p", "tsconfig.wrong.json"], app);
    expect(r.code).not.toBe(0);
    const errors = r.stdout.split("\n").filter((l) => l.includes("error TS"));
    console.log(errors.join("\n"));
    // One error on each wrong line (2 to 5), and none about finding the module or its types.
    expect(errors.map((l) => /^wrong\.ts\((\d+),/.exec(l)?.[1]), r.stdout).toEqual(["2", "3", "4", "5"]);
    expect(r.stdout).not.toMatch(/TS2307|TS7016/);
  });

  it("runs a suite on the project's cluster through run()", async () => {
    requireCluster();
    writeFileSync(join(app, "run.mjs"), RUN_MJS);
    const r = await sh(process.execPath, ["run.mjs", DEMO, ADMIN_KUBECONFIG], app);
    console.log(`run.mjs (exit ${r.code}): ${r.stdout.trim()}`);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ exitCode: 0, verdict: "passed" });
  });
});
