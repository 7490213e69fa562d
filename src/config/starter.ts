// The incluster.yaml that `incluster init` writes, from facts about the repository. Pure: the
// command gathers the facts (git remote, branch, test folders), this only writes text.
import { API_VERSION, DEFAULT_BASE_IMAGE, KIND } from "./schema.js";
import { SUITE_NAME_MAX, suggestSuiteName } from "./names.js";
import type { DetectedSuite } from "../runners/detect.js";

export interface RepoFacts {
  /** Folder name of the repository, for the registry path. */
  repoName: string;
  /** remote.origin.url, if any. */
  remoteUrl?: string | undefined;
  /** Current branch; undefined when detached or unknown. */
  branch?: string | undefined;
  /** Test folders relative to the root, e.g. tests/e2e/orchestrator. */
  testDirs: string[];
  /** pyproject.toml or setup.py present: the project installs with pip -e. */
  pipInstallable: boolean;
  requirementsTxt: boolean;
  /** Suites of the other runners found (runners/detect.ts); with some and no Python tests, no pytest suite is written. */
  detected?: DetectedSuite[];
}

/** git@github.com:org/repo.git -> https://github.com/org/repo.git: a pod has no SSH keys. */
export function httpsUrl(remote: string): string {
  const scp = /^[\w.-]+@([^:/]+):(.+)$/.exec(remote);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  const ssh = /^ssh:\/\/[^@/]+@([^/:]+)(?::\d+)?\/(.+)$/.exec(remote);
  if (ssh) return `https://${ssh[1]}/${ssh[2]}`;
  return remote;
}

/** A name without the "-e2e" that test-<suite>-e2e adds: "e2e" and "api-e2e" would stutter (test-e2e-e2e). */
function withoutE2e(name: string): string {
  return suggestSuiteName(name).replace(/(^|-)e2e$/, "");
}

/**
 * A valid, unique suite name for a test folder: tests/e2e/orchestrator -> orchestrator. A folder
 * named e2e takes the repository's name (shop: test-shop-e2e), else "smoke".
 */
export function suiteNameFor(dir: string, taken: ReadonlySet<string>, repoName = ""): string {
  const last = dir.split("/").filter(Boolean).pop() ?? "";
  // Room for a "-N" suffix when two folders share a name.
  const fit = (n: string) => n.slice(0, SUITE_NAME_MAX - 3).replace(/-+$/, "");
  const base = fit(withoutE2e(last)) || fit(withoutE2e(repoName)) || "smoke";
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  return name;
}

function q(s: string): string {
  return JSON.stringify(s);
}

export function starterConfig(f: RepoFacts): string {
  const url = f.remoteUrl ? httpsUrl(f.remoteUrl) : `https://example.com/your-org/${f.repoName}.git`;
  const registryPath = f.repoName.toLowerCase().replace(/[^a-z0-9._-]+/g, "-") || "tests";
  const install = f.pipInstallable ? 'pip install --user -q -e ".[dev]"' : f.requirementsTxt ? "pip install --user -q -r requirements.txt" : undefined;
  const taken = new Set<string>();
  const detected = f.detected ?? [];
  const pytestDirs = f.testDirs.length ? f.testDirs : detected.length ? [] : ["tests/e2e"];
  const suites = pytestDirs.map((dir) => {
    const name = suiteNameFor(dir, taken, f.repoName);
    taken.add(name);
    return `  ${name}:\n    test: ${q(dir)}\n`;
  });
  for (const d of detected) {
    const name = suiteNameFor(d.dir || d.name, taken, f.repoName);
    taken.add(name);
    suites.push(detectedSuite(name, d, pytestDirs.length > 0));
  }
  // Without a pytest suite, the image of the first runner found; the pip install lines go.
  const base = pytestDirs.length || !detected[0] ? DEFAULT_BASE_IMAGE : detected[0].base;
  const pip = pytestDirs.length > 0;
  return `# incluster.yaml: end-to-end test suites run as Kubernetes Jobs (written by: incluster init).
# Check it with: incluster validate    Reference: docs/config.md
apiVersion: ${API_VERSION}
kind: ${KIND}
# Namespace the test Jobs run in: usually the one your services run in.
namespace: default
image:
  # Where suite images are pushed and pulled: <registry>/test-<suite>-e2e:<tag>. Change this.
  registry: registry.example.com/${registryPath}
  base: ${base}
source:
  git:
${f.remoteUrl ? "" : "    # No git remote found: set the URL the cluster clones from.\n"}    url: ${q(url)}
    ref: ${q(f.branch ?? "main")}
defaults:
${pip ? (install ? `  install: ${q(install)}\n` : "  # install: pip install --user -q -e .\n") : ""}  timeout: 30m
  ttlSecondsAfterFinished: 3600
  # env:
  #   SERVICE_URL: http://my-service.default.svc.cluster.local:8080
suites:
${f.testDirs.length || detected.length ? "" : "  # No test folder found: point test at your pytest target.\n"}${suites.join("")}`;
}

/** A suite for a runner init found: a comment saying what was found, then its fields. */
function detectedSuite(name: string, d: DetectedSuite, pythonBase: boolean): string {
  const lines = [`  # found: ${d.why}${pythonBase ? ` (image.base is Python's: this suite needs an image with ${d.name} in it)` : ""}`, `  ${name}:`];
  lines.push(`    runner: ${d.runner}`, `    test: ${q(d.test)}`);
  if (d.install) lines.push(`    install: ${q(d.install)}`);
  return `${lines.join("\n")}\n`;
}
