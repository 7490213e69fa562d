// A user's script over the library with OTLP export on, in its own process (node --import tsx):
// prints the result and the OTLP notes, then the handles still open one tick later; it must exit
// on its own (no process.exit): the SDK's timers and sockets are gone once run() returns.
//   otlp-lib-run.ts <config> <suite> <kubeconfig> <report-dir> <otlp-endpoint>
import { loadConfig, run } from "../../../src/index.js";

const [configPath = "", suite = "", kubeconfig = "", reportDir = "", otlpEndpoint = ""] = process.argv.slice(2);
const notes: string[] = [];
const result = await run(loadConfig({ path: configPath }), {
  suites: [suite],
  kubeconfig,
  reportDir,
  otlpEndpoint,
  onEvent: (e) => {
    if (e.type === "run.note" && e.text.startsWith("OTLP")) notes.push(`${e.level}: ${e.text}`);
  },
});
console.log(JSON.stringify({ exitCode: result.exitCode, notes, doneAt: Date.now() }));
setImmediate(() => console.log(JSON.stringify({ handles: process.getActiveResourcesInfo() })));
