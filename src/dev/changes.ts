// What a round's changed paths mean for `incluster dev`. Pure.
// - imageInputs: the paths that change what the pod is made from (its Dockerfile, the config, a
//   dependency manifest the install line reads): the image is rebuilt and the pod recreated.
// - changedTests: with --changed, the test files among the changed paths, inside the suite's target.
import { posix } from "node:path";

/** Files an install line or a build reads to install dependencies, by base name. */
const MANIFESTS = [
  /^requirements[\w.-]*\.txt$/,
  /^(pyproject\.toml|setup\.py|setup\.cfg|Pipfile|Pipfile\.lock|poetry\.lock|uv\.lock)$/,
  /^(package\.json|package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml)$/,
  /^(go\.mod|go\.sum)$/,
  /^(Dockerfile|Containerfile|[\w.-]+\.(dockerfile|Dockerfile)|\.dockerignore)$/,
];

export interface ImageFacts {
  /** The config file, relative to the working tree's top ("/"-separated); undefined when outside it. */
  configFile?: string;
  /** The suite's own Dockerfile (build.dockerfile), relative to the top. */
  dockerfile?: string;
}

/** The changed paths that make the pod's image or install stale (empty: the pod stays). */
export function imageInputs(changed: readonly string[], facts: ImageFacts): string[] {
  const hits = changed.filter(
    (p) => p === facts.configFile || p === facts.dockerfile || MANIFESTS.some((re) => re.test(posix.basename(p))),
  );
  return [...new Set(hits)].sort();
}

/** pytest's test files: test_*.py and *_test.py. */
const PYTEST_FILE = /^(test_.*|.*_test)\.py$/;

/** The changed test files inside `target` (a file, a folder, or a node id's file) for a pytest suite. */
export function changedTests(changed: readonly string[], target: string): string[] {
  const file = (target.split("::")[0] ?? "").replace(/\/+$/, "").replace(/^\.\//, "");
  const inside = (p: string) => file === "" || file === "." || p === file || p.startsWith(`${file}/`);
  return [...new Set(changed.filter((p) => PYTEST_FILE.test(posix.basename(p)) && inside(p)))].sort();
}
