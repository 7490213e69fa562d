// The GitHub Action (action.yml → dist/action.js): a shell over the library like the CLI. Inputs
// become RunOptions, the terminal view consumes the event stream, and the result goes to the
// step summary, the annotations and the step outputs. A kubeconfig given as contents (from a
// secret) is written to a 0600 file in a private temp folder, removed at the end, never echoed.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig } from "../api/config.js";
import { run } from "../api/run.js";
import { describeError } from "../error-text.js";
import { UsageError } from "../errors.js";
import { terminalView } from "../report/terminal.js";
import { actionRunOptions, readInputs } from "./action-inputs.js";
import type { KubeconfigInput } from "./action-inputs.js";
import { outputsToGithub, reportToGithub } from "./github-report.js";
import type { CiEnv } from "../ci-links.js";

export interface ActionIo {
  env: CiEnv;
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
  signal?: AbortSignal;
}

/** Runs the action; returns the exit code (the run's, or 2/3 for an error before a result). */
export async function runGithubAction(io: ActionIo): Promise<number> {
  let tempDir: string | undefined;
  try {
    const inputs = readInputs(io.env);
    const cwd = inputs.workingDirectory ? resolve(io.cwd, inputs.workingDirectory) : io.cwd;
    const kc = kubeconfigFile(inputs.kubeconfig, cwd, io.env, (dir) => (tempDir = dir));
    const config = loadConfig({ cwd, env: io.env, ...(inputs.config ? { path: inputs.config } : {}) });
    const view = terminalView({ style: { color: false }, several: true, verbose: false, quietLogs: false, write: io.err });
    const result = await run(config, {
      ...actionRunOptions(inputs, { cwd, env: io.env, kubeconfig: kc }),
      onEvent: view,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    for (const w of reportToGithub(result, io.env, (line) => io.out(`${line}\n`))) io.err(`::warning title=incluster::${w}\n`);
    return result.exitCode;
  } catch (err) {
    const { text, exitCode } = describeError(err, false);
    io.err(text);
    io.out(`::error title=incluster::${text.trimEnd().replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}\n`);
    // A usage error (or a bug): no result. A run that could not run is a result, rendered above.
    outputsToGithub({ "exit-code": String(exitCode) }, io.env);
    return exitCode;
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

/** The kubeconfig's path: the input's file, or its contents written to a private temp file. */
function kubeconfigFile(k: KubeconfigInput, cwd: string, env: CiEnv, made: (dir: string) => void): string | undefined {
  if (k.kind === "none") return undefined;
  if (k.kind === "path") {
    const path = resolve(cwd, k.path);
    // The value is not shown: a secret put in the wrong input would land here.
    if (!existsSync(path)) {
      throw new UsageError("with.kubeconfig: neither an existing file nor kubeconfig contents (the value is not shown)", [
        "give the path of a kubeconfig file, or its contents: kubeconfig: ${{ secrets.KUBECONFIG }}",
      ]);
    }
    return path;
  }
  const dir = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), "incluster-kube-"));
  made(dir);
  const path = join(dir, "kubeconfig");
  writeFileSync(path, k.text, { mode: 0o600 });
  return path;
}


