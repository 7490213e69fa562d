// `render` of a `shards: auto` suite shows what a run would do: with the history in a folder
// (dir:<path>, a local file render may read) the count run's own decision picks and that Indexed
// Job with its shard env; with the cluster store (render never connects) the 1-shard Job a run
// without history makes, and on stderr that run picks the count and what N shards change (golden).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dirHistoryStore } from "../../../src/history/dir-store.js";
import { realSetTimer } from "../../../src/timers.js";
import { expectGolden } from "../support/golden.js";
import { runCli } from "../support/run-cli.js";

const config = (store: string) => `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: e2e
source: { git: { url: "git://10.244.0.1/sample-app.git", ref: main } }
defaults: { image: 127.0.0.1:5000/incluster/python:3.11-pytest }
history: { store: "${store}" }
suites:
  api:
    test: tests/e2e
    shards: auto
    targetDuration: 30s
    maxShards: 4
`;

function project(store: string): string {
  const dir = mkdtempSync(join(tmpdir(), "incluster-render-auto-"));
  writeFileSync(join(dir, "incluster.yaml"), config(store));
  return dir;
}

describe("render of a shards: auto suite", () => {
  it("history in the cluster: the 1-shard Job of a run without history, and how run picks N (stderr)", async () => {
    const dir = project("cluster");
    const r = await runCli(["render", "api"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("completionMode");
    expectGolden("render/auto-shards-cluster.yaml", r.stdout);
    expectGolden("render/auto-shards-cluster.stderr.txt", r.stderr);
  });

  it("history in a folder: the count run would pick from it (75 s of tests, 30 s a shard → 3), that Indexed Job and its shard env", async () => {
    const dir = project("dir:.incluster/history");
    const store = dirHistoryStore(join(dir, ".incluster/history"), realSetTimer);
    const tests = Array.from({ length: 15 }, (_, k) => ({ id: `tests/e2e/test_api.py::test_${k}`, status: "passed" as const, durationMs: 5000 }));
    await store.append("api", { runId: "seed01", startedAt: "2026-12-07T00:00:00.000Z", verdict: "passed", attempts: 1, durationMs: 80_000, tests }, 50);
    const r = await runCli(["render", "api"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("completionMode: Indexed");
    expect(r.stdout).toContain("INCLUSTER_SHARD_WEIGHTS");
    expectGolden("render/auto-shards-dir.yaml", r.stdout);
    expectGolden("render/auto-shards-dir.stderr.txt", r.stderr);
  });
});
