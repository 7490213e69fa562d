// The stores over a hand-written fake of our port (the API server's optimistic concurrency: 409 on
// a stale resourceVersion, AlreadyExists on a second create) and over a temp folder. The real
// API server's proof is test/integration/history.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { clusterHistoryStore } from "../../../src/history/cluster-store.js";
import { dirHistoryStore } from "../../../src/history/dir-store.js";
import { readHistories, writeHistories } from "../../../src/run/history.js";
import type { EventBody } from "../../../src/events/types.js";
import type { RunResult } from "../../../src/results/run-result.js";
import { realSetTimer } from "../../../src/timers.js";
import { FakeCluster } from "../support/fake-cluster.js";
import { run } from "./fixtures.js";

const tmp = mkdtempSync(join(tmpdir(), "incluster-history-unit-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the cluster store", () => {
  it("creates, appends, reads back; labels that clean's selector never matches", async () => {
    const fake = new FakeCluster();
    const store = clusterHistoryStore({ port: fake, namespace: "ns", setTimer: realSetTimer });
    await store.append("api", run(1, [["a", "passed", 1]]), 50);
    await store.append("api", run(2, [["a", "failed", 1]]), 50);
    const { histories } = await store.read();
    expect(histories.get("api")?.runs.map((r) => r.runId)).toEqual(["run2", "run1"]);
    const cm = fake.configMaps.get("ns/incluster-history-api");
    expect(cm?.labels).toEqual({ "app.kubernetes.io/managed-by": "incluster", "incluster.dev/history-of": "api" });
    expect(cm?.labels["incluster.dev/run-id"]).toBeUndefined();
  });

  it("8 concurrent appends (each loses races, gets 409 and retries): all 8 land", async () => {
    const fake = new FakeCluster();
    let conflicts = 0;
    const write = fake.writeConfigMap.bind(fake);
    fake.writeConfigMap = async (cm) => {
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      return write(cm).catch((e: { status?: number }) => {
        if (e.status === 409) conflicts++;
        throw e;
      });
    };
    const stores = Array.from({ length: 8 }, () => clusterHistoryStore({ port: fake, namespace: "ns", setTimer: realSetTimer, random: () => 0 }));
    await Promise.all(stores.map((s, i) => s.append("api", run(i + 1, [["a", "passed", i]]), 50)));
    const runs = (await stores[0]!.read()).histories.get("api")?.runs ?? [];
    expect(runs.map((r) => r.runId).sort()).toEqual(["run1", "run2", "run3", "run4", "run5", "run6", "run7", "run8"]);
    expect(conflicts).toBeGreaterThan(0);
  });

  it("without permission: the run's read is one warning and an empty map; nothing is written", async () => {
    const fake = new FakeCluster();
    fake.configMapError = { status: 403, reason: "Forbidden", message: 'configmaps is forbidden: User "x" cannot list resource "configmaps"' };
    const events: EventBody[] = [];
    const h = { store: clusterHistoryStore({ port: fake, namespace: "ns", setTimer: realSetTimer }), keep: 50 };
    const read = await readHistories(h, ["api"], (e) => void events.push(e));
    expect(read).toEqual({ histories: new Map(), readable: false });
    const warnings = events.filter((e) => e.type === "run.note" && e.level === "warning");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ text: expect.stringMatching(/^history: could not read it \(cluster, namespace ns\): 403 Forbidden: configmaps is forbidden/) });
    expect(events.find((e) => e.type === "history.read")).toMatchObject({ store: "cluster", suites: [], problem: expect.stringContaining("403") });
  });

  it("a write that fails is one warning for the run (not one per suite); an interrupted suite is not written", async () => {
    const fake = new FakeCluster();
    const h = { store: clusterHistoryStore({ port: fake, namespace: "ns", setTimer: realSetTimer }), keep: 50 };
    fake.configMapError = { status: 403, reason: "Forbidden", message: "no" };
    const suite = (name: string, verdict: string) => ({ suite: name, verdict, startedAt: "2026-12-07T00:00:00Z", durationSeconds: 1, tests: [] });
    const result = { runId: "r1", suites: [suite("a", "passed"), suite("b", "failed"), suite("c", "interrupted")] } as unknown as RunResult;
    const events: EventBody[] = [];
    await writeHistories(h, result, { emit: (e) => void events.push(e), setTimer: realSetTimer });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "run.note", level: "warning", text: expect.stringContaining("a: 403 Forbidden: no; b: 403 Forbidden: no") });
    fake.configMapError = undefined;
    await writeHistories(h, result, { emit: (e) => void events.push(e), setTimer: realSetTimer });
    expect([...fake.configMaps.keys()].sort()).toEqual(["ns/incluster-history-a", "ns/incluster-history-b"]);
  });
});

describe("the dir store", () => {
  it("appends under a lock, reads every suite in the folder; 8 concurrent writers lose nothing", async () => {
    const dir = join(tmp, "h");
    const stores = Array.from({ length: 8 }, () => dirHistoryStore(dir, realSetTimer));
    await Promise.all(stores.map((s, i) => s.append("api", run(i + 1, [["a", "passed", i]]), 50)));
    await stores[0]!.append("web", run(1, [["w", "failed", 1]]), 50);
    const { histories, problems } = await stores[0]!.read();
    expect(problems).toEqual([]);
    expect(histories.get("api")?.runs).toHaveLength(8);
    expect([...histories.keys()].sort()).toEqual(["api", "web"]);
  });

  it("a damaged file is a problem on read and is never overwritten", async () => {
    const dir = join(tmp, "bad");
    const store = dirHistoryStore(dir, realSetTimer);
    await store.append("x", run(1, [["a", "passed", 1]]), 50);
    writeFileSync(join(dir, "x.history.json.gz"), "garbage");
    expect((await store.read()).problems).toHaveLength(1);
    await expect(store.append("x", run(2, [["a", "passed", 1]]), 50)).rejects.toThrow(/not overwritten/);
  });
});
