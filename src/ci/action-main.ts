// Entry of the GitHub Action (bundled as dist/action.js): the process edge. Cancelling the
// workflow sends SIGINT, then SIGTERM: the first aborts the run, which deletes its Jobs.
import { runGithubAction } from "./action.js";

const controller = new AbortController();
const onSignal = () => controller.abort();
process.once("SIGINT", onSignal);
process.once("SIGTERM", onSignal);
process.exitCode = await runGithubAction({
  env: process.env,
  cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  signal: controller.signal,
});
process.off("SIGINT", onSignal);
process.off("SIGTERM", onSignal);
