// The edge of the GitHub Actions output: with GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and
// GITHUB_ACTIONS=true set (as the runner sets them for every step), the step summary is appended,
// the outputs written and the annotations printed. Used by `incluster run` and the action alike.
import { appendFileSync } from "node:fs";
import type { RunResult } from "../results/run-result.js";
import { annotations, outputFileText, stepOutputs, stepSummary } from "./github.js";
import type { CiEnv } from "../ci-links.js";
import { ciRunLink } from "../ci-links.js";

/** Writes what the environment asks for; returns warnings (a file that could not be written), never throws. */
export function reportToGithub(result: RunResult, env: CiEnv, print: (line: string) => void): string[] {
  const warnings: string[] = [];
  const append = (variable: "GITHUB_STEP_SUMMARY" | "GITHUB_OUTPUT", text: string) => {
    const path = env[variable];
    if (!path) return;
    try {
      appendFileSync(path, text);
    } catch (err) {
      warnings.push(`could not write ${variable} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    }
  };
  append("GITHUB_STEP_SUMMARY", stepSummary(result, ciRunLink(env)));
  append("GITHUB_OUTPUT", outputFileText(stepOutputs(result)));
  if (env.GITHUB_ACTIONS === "true") for (const a of annotations(result)) print(a);
  return warnings;
}

/** Only the outputs, for a run that stopped with an error before it had a result. */
export function outputsToGithub(outputs: Readonly<Record<string, string>>, env: CiEnv): void {
  if (!env.GITHUB_OUTPUT) return;
  try {
    appendFileSync(env.GITHUB_OUTPUT, outputFileText(outputs));
  } catch {
    // Nothing more to say: the error itself is being reported.
  }
}

/** reportToGithub for a shell: annotations and warnings go to `write` (stderr: stdout carries -o). */
export function githubReporter(env: CiEnv, write: (text: string) => void): (result: RunResult) => void {
  return (result) => {
    for (const w of reportToGithub(result, env, (line) => write(`${line}\n`))) write(`incluster: warning: ${w}\n`);
  };
}
