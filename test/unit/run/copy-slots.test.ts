// The copy limit's setting: RunOptions.copyConcurrency, else INCLUSTER_COPY_CONCURRENCY, else 4. A
// bad value is a usage error naming the variable (exit 2, before any contact with a cluster).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { COPY_CONCURRENCY_ENV, DEFAULT_COPY_CONCURRENCY, copyConcurrencyOf } from "../../../src/run/copy-slots.js";
import { runCli } from "../support/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "incluster-copy-slots-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the copy limit's setting", () => {
  it("the option, else the environment, else 4", () => {
    expect(copyConcurrencyOf(undefined, {})).toBe(DEFAULT_COPY_CONCURRENCY);
    expect(DEFAULT_COPY_CONCURRENCY).toBe(4);
    expect(copyConcurrencyOf(undefined, { [COPY_CONCURRENCY_ENV]: "" })).toBe(4);
    expect(copyConcurrencyOf(undefined, { [COPY_CONCURRENCY_ENV]: "12" })).toBe(12);
    expect(copyConcurrencyOf(undefined, { [COPY_CONCURRENCY_ENV]: " 2 " })).toBe(2);
    expect(copyConcurrencyOf(1, { [COPY_CONCURRENCY_ENV]: "12" })).toBe(1);
  });

  it("anything but a whole number of at least 1 is a usage error naming the variable", () => {
    for (const bad of ["0", "-1", "1.5", "four", "1e3", "0x10", "9999999"]) {
      let err: unknown;
      try {
        copyConcurrencyOf(undefined, { [COPY_CONCURRENCY_ENV]: bad });
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(UsageError);
      expect((err as Error).message).toContain(`${COPY_CONCURRENCY_ENV}: expected a whole number of at least 1, got "${bad}"`);
    }
    expect(() => copyConcurrencyOf(0, {})).toThrow(UsageError);
    // A long value is clipped, never echoed whole.
    expect(() => copyConcurrencyOf(undefined, { [COPY_CONCURRENCY_ENV]: "x".repeat(500) })).toThrow(/… \(500 characters\)/);
  });

  it("`incluster run` with a bad value: exit 2, the variable named, no stack, nothing contacted", async () => {
    const config = join(dir, "incluster.yaml");
    writeFileSync(
      config,
      "apiVersion: incluster.dev/v1alpha1\nkind: Config\nsource: { image: {} }\ndefaults: { image: 127.0.0.1:5000/x:1 }\nsuites:\n  s: { command: [\"true\"] }\n",
    );
    // A kubeconfig whose server nothing listens on: a contact would be "unreachable", exit 3.
    const kubeconfig = join(dir, "kubeconfig");
    writeFileSync(
      kubeconfig,
      "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\n" +
        "users: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n",
    );
    const r = await runCli(["-c", config, "run", "s"], { cwd: dir, env: { KUBECONFIG: kubeconfig, [COPY_CONCURRENCY_ENV]: "lots" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${COPY_CONCURRENCY_ENV}: expected a whole number of at least 1, got "lots"`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toMatch(/unreachable|127\.0\.0\.1:1/);
  });
});
