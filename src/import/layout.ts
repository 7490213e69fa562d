// The guide's layout → incluster.yaml: jobs/test-<name>-e2e/{Dockerfile,run_test.py} and the Job
// in deploy/k8s/*.yaml, per suite. Pure: the command reads the files and passes them in.
import { assembleConfig, type Assembled } from "./assemble.js";
import { readDockerfile } from "./dockerfile.js";
import { readManifest } from "./manifest.js";
import { readRunner } from "./runner.js";
import type { ImportedSuite, SourceFile, Unmapped } from "./types.js";
import { JOBS_DIR, MANIFEST_DIR } from "./dirs.js";

export { JOBS_DIR, MANIFEST_DIR };

export interface ImportResult extends Assembled {
  suites: string[];
  /** Files each suite came from, for the header and the report. */
  files: string[];
}

/** Files of the layout that import reads, by path: the caller lists and reads exactly these. */
export function isLayoutFile(path: string): boolean {
  return /^jobs\/test-[^/]+-e2e\/(Dockerfile|run_test\.py)$/.test(path) || /^deploy\/k8s\/[^/]+\.ya?ml$/.test(path);
}

/** undefined when the folder holds no Job manifest under deploy/k8s. */
export function importLayout(files: readonly SourceFile[]): ImportResult | undefined {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const manifests = files
    .filter((f) => f.path.startsWith(`${MANIFEST_DIR}/`) && /^\s*kind:\s*Job\s*$/m.test(f.text))
    .sort((a, b) => a.path.localeCompare(b.path));
  if (!manifests.length) return undefined;
  const fileOf = new Map<ImportedSuite, string>();
  const suites: ImportedSuite[] = manifests.map((m) => {
    const stem = /99-test-(.+)-e2e\.ya?ml$/.exec(m.path)?.[1] ?? m.path.replace(/^.*\/|\.ya?ml$/g, "");
    const facts = readManifest(m, stem);
    const { runsRunTestPy, ...rest } = facts;
    const dir = `${JOBS_DIR}/test-${facts.name}-e2e`;
    const unmapped: Unmapped[] = [...rest.unmapped];
    const docker = byPath.get(`${dir}/Dockerfile`);
    const runner = byPath.get(`${dir}/run_test.py`);
    const d = docker ? readDockerfile(docker) : undefined;
    const r = runner ? readRunner(runner) : undefined;
    if (!docker) {
      unmapped.push({ file: m.path, line: 1, value: `${dir}/Dockerfile`, why: "missing: image.base is left at its default and the image is generated" });
    }
    if (!runner) unmapped.push({ file: m.path, line: 1, value: `${dir}/run_test.py`, why: "missing: set suites.<suite>.test by hand" });
    else if (!runsRunTestPy) unmapped.push({ file: runner.path, line: 1, value: runner.path, why: "the Job does not run it; its test_path was used anyway" });
    const suite: ImportedSuite = {
      ...rest,
      ...(d?.base ? { base: d.base } : {}),
      ...(docker ? { dockerfile: docker.path } : {}),
      ...(r?.test !== undefined ? { test: r.test } : {}),
      ...(r?.install !== undefined ? { install: r.install } : {}),
      unmapped: [...unmapped, ...(d?.unmapped ?? []), ...(r?.unmapped ?? [])],
    };
    fileOf.set(suite, m.path);
    return suite;
  });
  const used = suites.flatMap((s) => [
    fileOf.get(s) ?? "",
    ...(s.dockerfile ? [s.dockerfile] : []),
    ...(byPath.has(`${JOBS_DIR}/test-${s.name}-e2e/run_test.py`) ? [`${JOBS_DIR}/test-${s.name}-e2e/run_test.py`] : []),
  ]);
  const header = [
    "incluster.yaml written by: incluster import, from",
    ...used.map((p) => `  ${p}`),
    "Values it could not carry over are listed by `incluster import --dry-run`.",
  ];
  const assembled = assembleConfig(suites, (s) => fileOf.get(s) ?? "", header);
  return { ...assembled, suites: suites.map((s) => s.name), files: used };
}
