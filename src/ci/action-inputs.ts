// The GitHub Action's inputs (INPUT_<NAME> variables, as the runner sets them from `with:`) →
// RunOptions-shaped values, and those values → the RunOptions the Action hands run(). Every
// problem names the input and the fix; values from a secret are never echoed. Pure.
import type { RunOptions } from "../api/options.js";
import { historyStoreProblem } from "../config/history.js";
import { MAX_RETRIES } from "../config/schema.js";
import { parseDuration } from "../config/duration.js";
import { UsageError } from "../errors.js";
import type { CiEnv } from "../ci-links.js";

/** The inputs action.yml declares, in its order. */
export const INPUT_NAMES = [
  "suites",
  "all",
  "config",
  "namespace",
  "kubeconfig",
  "timeout",
  "fail-fast",
  "retries",
  "report-dir",
  "working-directory",
  "history",
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

export type KubeconfigInput = { kind: "none" } | { kind: "path"; path: string } | { kind: "contents"; text: string };

export interface ActionInputs {
  suites: string[];
  all: boolean;
  config?: string;
  namespace?: string;
  kubeconfig: KubeconfigInput;
  timeout?: string;
  failFast?: string;
  retries?: number;
  reportDir?: string;
  workingDirectory?: string;
  /** Where the suites' run history is kept, as `--history` says it: cluster, none or dir:<path>. */
  history?: string;
}

/** What @actions/core's getInput reads: INPUT_ + the name upper-cased, spaces as '_', trimmed. */
export function input(env: CiEnv, name: InputName): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

const TRUE = ["true", "True", "TRUE"];
const FALSE = ["false", "False", "FALSE", ""];

/** A kubeconfig's text (YAML or JSON, or base64 of either) or else a path: decided without echoing it. */
export function kubeconfigInput(value: string): KubeconfigInput {
  if (!value) return { kind: "none" };
  if (/\r|\n/.test(value) || /^\s*(apiVersion|kind|clusters|\{)/.test(value)) return { kind: "contents", text: value };
  if (/^[A-Za-z0-9+/=]{40,}$/.test(value)) {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    if (/(^|\n)\s*(apiVersion|clusters)\s*:/.test(decoded) || decoded.trimStart().startsWith("{")) return { kind: "contents", text: decoded };
  }
  return { kind: "path", path: value };
}

export function readInputs(env: CiEnv): ActionInputs {
  const problems: string[] = [];
  const opt = (name: InputName) => input(env, name) || undefined;
  const allText = input(env, "all");
  if (!TRUE.includes(allText) && !FALSE.includes(allText)) problems.push(`with.all: expected true or false, got ${JSON.stringify(allText)}`);
  const all = TRUE.includes(allText);
  const suites = input(env, "suites").split(/[\s,]+/).filter(Boolean);
  if (all && suites.length) problems.push("with.suites and with.all: give suite names or all: true, not both");
  for (const name of ["timeout", "fail-fast"] as const) {
    const v = opt(name);
    if (v !== undefined && parseDuration(v) === undefined) problems.push(`with.${name}: expected a duration like 30s, 10m or 1h, got ${JSON.stringify(v)}`);
  }
  const retriesText = opt("retries");
  const retries = retriesText === undefined ? undefined : Number(retriesText);
  if (retriesText !== undefined && (!/^\d+$/.test(retriesText) || retries === undefined || retries > MAX_RETRIES)) {
    problems.push(`with.retries: expected a whole number from 0 to ${MAX_RETRIES}, got ${JSON.stringify(retriesText)}`);
  }
  const history = opt("history");
  const historyProblem = history === undefined ? undefined : historyStoreProblem(history);
  if (historyProblem) problems.push(`with.history: ${historyProblem}`);
  if (problems.length) {
    throw new UsageError(
      problems.length === 1 ? (problems[0] ?? "") : "the action's inputs have problems",
      problems.length === 1 ? ["fix the step's `with:` block"] : problems,
    );
  }
  const v = (name: InputName) => opt(name);
  return {
    suites,
    all,
    kubeconfig: kubeconfigInput(input(env, "kubeconfig")),
    ...def("config", v("config")),
    ...def("namespace", v("namespace")),
    ...def("timeout", v("timeout")),
    ...def("failFast", v("fail-fast")),
    ...(retries !== undefined ? { retries } : {}),
    ...def("reportDir", v("report-dir")),
    ...def("workingDirectory", v("working-directory")),
    ...def("history", history),
  };
}

/** The run() options the inputs give (beside the event sink and the signal): each input to its option, as the CLI's flag would. */
export function actionRunOptions(inputs: ActionInputs, o: { cwd: string; env: CiEnv; kubeconfig?: string | undefined }): RunOptions {
  return {
    suites: inputs.suites,
    all: inputs.all,
    cwd: o.cwd,
    env: o.env,
    ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}),
    ...(inputs.namespace ? { namespace: inputs.namespace } : {}),
    ...(inputs.timeout ? { timeout: inputs.timeout } : {}),
    ...(inputs.failFast ? { failFast: inputs.failFast } : {}),
    ...(inputs.retries !== undefined ? { retries: inputs.retries } : {}),
    ...(inputs.reportDir ? { reportDir: inputs.reportDir } : {}),
    // dir:<path> is relative to the working directory, as --history's is to the CLI's.
    ...(inputs.history ? { history: inputs.history } : {}),
  };
}

function def<K extends string>(k: K, v: string | undefined): { [P in K]?: string } {
  return (v === undefined ? {} : { [k]: v }) as { [P in K]?: string };
}
