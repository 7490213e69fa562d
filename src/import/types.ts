// What `incluster import` reads from one suite of the guide's layout, before the suites are merged
// into one incluster.yaml. Pure data.
import type { EnvRef } from "../config/resolve.js";

/** A value of the guide's files that incluster.yaml cannot express, with where it is. */
export interface Unmapped {
  file: string;
  line: number;
  /** The value as written (one line). */
  value: string;
  /** Why it is not carried over, naming docs/render-differences.md's difference when there is one. */
  why: string;
}

export interface ImportedSuite {
  name: string;
  namespace?: string;
  /** <registry>/test-<suite>-e2e:<tag> in the Job: the part before the repository name. */
  registry?: string;
  base?: string;
  /** The suite's Dockerfile, relative to the repository root (kept: its RUN lines are the suite's dependencies). */
  dockerfile?: string;
  gitUrl?: string;
  gitRef?: string;
  cloneImage?: string;
  test?: string;
  install?: string;
  env: [string, string | EnvRef][];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  ttlSecondsAfterFinished?: number;
  timeoutSeconds?: number;
  kubernetesAccess?: boolean;
  unmapped: Unmapped[];
}

/** One file of a suite, as read from disk: its path relative to the imported folder. */
export interface SourceFile {
  path: string;
  text: string;
}
