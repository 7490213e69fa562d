// `incluster scaffold <suite>`: the guide's layout for one suite, as files to write. Pure; the
// command decides what to write (src/cli/commands/scaffold.ts).
import type { ResolvedSuite } from "../config/resolve.js";
import { baseName } from "../names.js";
import { dockerfile } from "./scaffold/dockerfile.js";
import { manifest } from "./scaffold/manifest.js";
import { runTestPy } from "./scaffold/run-test-py.js";

export interface ScaffoldFile {
  /** Relative to the repository root. */
  path: string;
  content: string;
}

export interface ScaffoldOptions {
  /** FROM line of the Dockerfile: image.base from the config. */
  baseImage: string;
}

export function scaffoldSuite(suite: ResolvedSuite, opts: ScaffoldOptions): ScaffoldFile[] {
  const name = baseName(suite.name);
  return [
    { path: `jobs/${name}/Dockerfile`, content: dockerfile(suite, opts.baseImage) },
    { path: `jobs/${name}/run_test.py`, content: runTestPy(suite) },
    { path: `deploy/k8s/99-${name}.yaml`, content: manifest(suite) },
  ];
}
