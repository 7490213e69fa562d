// A user's script over the library, run in its own process (node --import tsx): prints the
// result, then the handles still open one tick later, and must exit on its own (no process.exit).
//   lib-run.ts <scenario> <config> <suite> <kubeconfig> <report-dir>
// scenarios: plain | interrupt-create (abort while the Job's create request is in flight) |
//            interrupt-running (abort once the test container runs)
import { loadConfig, run } from "../../../src/index.js";
import type { ClusterPort } from "../../../src/index.js";
import { createClusterPort } from "../../../src/kube/client.js";

const [scenario = "plain", configPath = "", suite = "", kubeconfig = "", reportDir = ""] = process.argv.slice(2);
const controller = new AbortController();
const real = createClusterPort({ kubeconfig });
const port: ClusterPort =
  scenario === "interrupt-create"
    ? {
        ...real,
        create: (obj) => {
          const sent = real.create(obj);
          // Ctrl-C lands while the API server is creating the Job.
          if (obj.kind === "Job") controller.abort();
          return sent;
        },
      }
    : real;
const t0 = Date.now();
const result = await run(loadConfig({ path: configPath }), {
  suites: [suite],
  port,
  reportDir,
  signal: controller.signal,
  onEvent: (e) => {
    if (scenario === "interrupt-running" && e.type === "suite.phase" && e.phase === "running") controller.abort();
  },
});
const s = result.suites[0];
console.log(JSON.stringify({ runId: result.runId, exitCode: result.exitCode, verdict: s?.verdict, class: s?.class, message: s?.message, ms: Date.now() - t0, doneAt: Date.now() }));
setImmediate(() => console.log(JSON.stringify({ handles: process.getActiveResourcesInfo() })));
