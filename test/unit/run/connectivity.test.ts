// An API server that stops answering mid-run: the run says so once, says once when it is back,
// and goes on (the watches resume; a cut log is read on from where it stopped).
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/parse.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import { renderSuite } from "../../../src/render/suite.js";
import { connectivityStep } from "../../../src/run/connectivity.js";
import type { ReachState } from "../../../src/run/connectivity.js";
import { FakeCluster, pod, settle } from "../support/fake-cluster.js";
import { startPipeline } from "../support/pipeline.js";
import { complete, finished, jobCreated, running, serveLog } from "../support/pod-states.js";

const refused = { reachable: false, error: { message: "connect ECONNREFUSED 127.0.0.1:6443", unreachable: true } } as const;

describe("connectivityStep", () => {
  it("notes the first unreachable and the first answer after it, nothing for repeats", () => {
    let s: ReachState = {};
    const down = connectivityStep(s, refused, 1_000, "https://127.0.0.1:6443");
    expect(down.note).toEqual({ level: "warning", text: "API server https://127.0.0.1:6443 unreachable (connect ECONNREFUSED 127.0.0.1:6443); retrying… the Jobs keep running in the cluster meanwhile" });
    s = down.state;
    expect(connectivityStep(s, refused, 5_000, "https://127.0.0.1:6443")).toEqual({ state: s });
    const up = connectivityStep(s, { reachable: true }, 21_400, "https://127.0.0.1:6443");
    expect(up.note).toEqual({ level: "info", text: "reconnected to the API server after 20s; watches and log follows resume where they stopped" });
    expect(up.state).toEqual({});
    expect(connectivityStep(up.state, { reachable: true }, 22_000, "x").note).toBeUndefined();
  });
});

const config = parseConfig(
  `
apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: ns
source:
  git:
    url: git://10.244.0.1/sample-app.git
    ref: main
defaults:
  image: 127.0.0.1:5000/incluster/python:3.11-pytest
suites:
  smoke:
    test: tests/e2e/test_services.py
`,
  "incluster.yaml",
);
const smoke = () => resolveSuite(config, "smoke");
const labels = () => ({ ...renderSuite(smoke(), { runId: "abc123" }).job.spec.template.metadata.labels });

describe("an API outage mid-run", () => {
  it("one warning when it goes, one note when it is back; the watches and the log resume; the verdict is the cluster's", async () => {
    const cluster = new FakeCluster();
    const t = startPipeline(cluster, [smoke()]);
    const j = await jobCreated(cluster);
    cluster.put("pods", pod("p1", labels(), running()));
    await serveLog(cluster, "test-runner", ["2026-11-24T00:00:03Z line 1\n", "2026-11-24T00:00:04Z line 2\n"], { message: "connect ECONNREFUSED 127.0.0.1:6443" });
    // Every watch and retry fails while the server is down; the transport reports the change once per side.
    cluster.connectivity(refused);
    for (const kind of ["jobs", "pods", "events"] as const) cluster.closeWatches(kind, refused.error);
    cluster.connectivity(refused);
    // Meanwhile the test ends; the watches learn it when they are back.
    cluster.putSilently("pods", pod("p1", labels(), finished(0)));
    cluster.connectivity({ reachable: true });
    for (let i = 0; i < 400 && cluster.openWatches("pods").length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await serveLog(cluster, "test-runner", ["2026-11-24T00:00:04Z line 2\n", "2026-11-24T00:00:05Z line 3\n"]);
    complete(cluster, j, "Complete");
    for (let k = 0; k < 100 && !t.events.some((e) => e.type === "run.finished"); k++) {
      for (const l of cluster.openLogs()) {
        l.open = false;
        l.handlers.onClose(undefined);
      }
      await settle();
    }
    const r = await t.promise;
    expect(r.suites[0]?.verdict).toBe("passed");
    expect(t.info.filter((n) => n.includes("unreachable"))).toEqual(["API server https://fake unreachable (connect ECONNREFUSED 127.0.0.1:6443); retrying… the Jobs keep running in the cluster meanwhile"]);
    expect(t.info.filter((n) => n.startsWith("reconnected"))).toHaveLength(1);
    expect(t.lines["smoke/test-runner"]?.filter((l) => l.startsWith("line "))).toEqual(["line 1", "line 2", "line 3"]);
    // The run no longer listens once it is over.
    expect(cluster.connectivityListeners.size).toBe(0);
    expect(t.timers.pending).toBe(0);
  });
});
