// Issue 13's hostile-input corpus through main(), as a user meets it, for validate, render and
// run (with a kubeconfig whose server counts connections): exit 2, the field path in the message,
// no stack trace, no secret, no shell reached, nothing sent to a cluster, within a time bound.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";
import { CASES, MARKER, SECRET, type HostileCase } from "./corpus.js";

/** Per command; the 1.5 MB inputs take the longest. */
const TIME_BOUND_MS = 5_000;
/** Output of a case: every echoed value is clipped, so errors stay short. */
const OUTPUT_MAX = 16 * 1024;

let server: Server;
let connections = 0;
let kubeconfig: string;

beforeAll(async () => {
  server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  kubeconfig = join(mkdtempSync(join(tmpdir(), "incluster-hostile-kc-")), "kubeconfig");
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: { server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true }\nusers:\n- name: u\n  user: { token: ${SECRET} }\ncontexts:\n- name: c\n  context: { cluster: c, user: u, namespace: demo }\ncurrent-context: c\n`,
  );
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

interface Prepared {
  cwd: string;
  marker: string;
  sub: (s: string) => string;
}

function prepare(c: HostileCase): Prepared {
  const cwd = mkdtempSync(join(tmpdir(), "incluster-hostile-"));
  const marker = join(cwd, "MARKER-touched");
  const sub = (s: string) => s.split(MARKER).join(marker).split("@DIR@").join(cwd);
  const file = join(cwd, "incluster.yaml");
  if (c.special === "directory" || c.special === "directory-walk") mkdirSync(file);
  else if (c.special === "fifo" || c.special === "fifo-walk") execFileSync("mkfifo", [file]);
  else if (c.config !== undefined) writeFileSync(file, typeof c.config === "string" ? sub(c.config) : c.config);
  for (const [name, content] of Object.entries(c.files ?? {})) writeFileSync(join(cwd, name), sub(content));
  return { cwd, marker, sub };
}

function argvFor(c: HostileCase, command: "validate" | "render" | "run", p: Prepared): string[] {
  const flags = (c.flags ?? []).map(p.sub);
  if (c.special === "directory" || c.special === "fifo") flags.push("-c", join(p.cwd, "incluster.yaml"));
  const ownKubeconfig = flags.includes("--kubeconfig") || c.env?.KUBECONFIG !== undefined;
  const kc = command === "run" && !ownKubeconfig ? ["--kubeconfig", kubeconfig] : [];
  const suite = p.sub(c.suiteArg ?? "smoke");
  const cmd = command === "validate" ? ["validate"] : command === "render" ? ["render", suite] : ["run", suite, "--no-build", ...(c.runArgs ?? []).map(p.sub)];
  return [...flags, ...kc, ...cmd];
}

const runs = CASES.flatMap((c) => (c.commands ?? ["validate", "render", "run"]).map((command) => ({ c, command })));

describe(`hostile corpus: ${CASES.length} inputs, ${runs.length} command runs`, () => {
  it("has at least 100 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(runs.map((r) => [`${r.command}: ${r.c.name}`, r] as const))("%s", async (_, { c, command }) => {
    const p = prepare(c);
    const before = connections;
    const started = performance.now();
    const r = await runCli(argvFor(c, command, p), { cwd: p.cwd, env: Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, p.sub(v)])) });
    const elapsed = performance.now() - started;
    const out = r.stdout + r.stderr;
    expect(r.code, out.slice(0, 2000)).toBe(2);
    if (typeof c.path === "string") expect(r.stderr).toContain(c.path);
    else expect(r.stderr).toMatch(c.path);
    if (c.fix) {
      if (typeof c.fix === "string") expect(r.stderr).toContain(c.fix);
      else expect(r.stderr).toMatch(c.fix);
    }
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(out).not.toContain(SECRET);
    expect(out.length).toBeLessThan(OUTPUT_MAX);
    expect(existsSync(p.marker)).toBe(false);
    expect(connections - before).toBe(0);
    expect(elapsed).toBeLessThan(TIME_BOUND_MS);
  });
});
