// What validate says about a podTemplate patch, worked out on the pod it makes: the patch must
// apply, keep what a run depends on (incluster's labels, containers, volumes and their mounts), and
// keep the pod within Pod Security "restricted" unless allowUnrestricted acknowledges it (then
// every run warns). Pure: render/ renders the suite with and without the patch and compares.
import { reservedKeyProblem } from "../config/pod-fields.js";
import type { Problem } from "../config/problems.js";
import { listSuites, resolveSuite, type ResolvedSuite } from "../config/resolve.js";
import type { Config } from "../config/schema.js";
import { CLONE_CONTAINER, COLLECTOR_CONTAINER, TEST_CONTAINER } from "../names.js";
import { renderJob } from "./job.js";
import type { Container, PodSpec } from "./objects.js";
import type { PodTemplate } from "./pod-patch.js";
import { restrictedViolations } from "./pod-security.js";
import { PatchError } from "./strategic-merge.js";

type Path = (string | number)[];
type Plain = Record<string, unknown>;

const ROLE: Record<string, string> = {
  [TEST_CONTAINER]: "it runs the tests",
  [CLONE_CONTAINER]: "it puts the source in /workspace",
  [COLLECTOR_CONTAINER]: "it keeps the output until incluster has copied it",
};

const ACK = "drop it, or set allowUnrestricted: true beside podTemplate to run it anyway (every run then warns)";

/** Every problem of every suite's podTemplate (a defaults.podTemplate's once, at defaults.podTemplate). */
export function podTemplateProblems(config: Config): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const name of listSuites(config)) {
    const own = config.suites[name]?.podTemplate !== undefined;
    if (!own && config.defaults?.podTemplate === undefined) continue;
    const where: Path = own ? ["suites", name, "podTemplate"] : ["defaults", "podTemplate"];
    for (const p of suiteProblems(resolveSuite(config, name), where)) {
      const key = `${p.path.join("\0")}\0${p.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(p);
      }
    }
  }
  return out;
}

/** One suite's podTemplate problems, at `where` (the patch's place in the config). */
export function suiteProblems(suite: ResolvedSuite, where: Path): Problem[] {
  const patch = suite.podTemplate;
  if (!patch) return [];
  const { podTemplate: _, ...bare } = suite;
  const before = renderJob(bare).spec.template;
  let after: PodTemplate;
  try {
    after = renderJob(suite).spec.template;
  } catch (err) {
    if (err instanceof PatchError) return [{ path: [...where, ...err.path], message: err.message }];
    throw err;
  }
  const at = (fieldPath: string) => [...where, ...patchPath(patch as Plain, fieldPath)];
  const shape = shapeProblems(after);
  if (shape.length) return shape.map((s) => ({ path: at(s.field), message: s.message }));
  const problems = [...ownershipProblems(before, after, patch as Plain, where, at)];
  if (suite.allowUnrestricted) return problems;
  let found: string[];
  try {
    found = restrictedViolations(after.spec);
  } catch (err) {
    // A value of the wrong kind deep in the spec (a number where a list was): not a pod the API server takes.
    if (!(err instanceof TypeError)) throw err;
    const message = `the patched pod is not one Kubernetes takes (${err.message}); check the kinds of the values the patch sets`;
    return [...problems, { path: where, message }];
  }
  for (const v of found) problems.push({ path: at(violationField(v)), message: `the patched pod breaks Pod Security "restricted": ${v}; ${ACK}` });
  return problems;
}

/**
 * The line each run prints for a suite whose podTemplate breaks "restricted" and says
 * allowUnrestricted: true (api/run.ts adds them to the result's warnings); none otherwise.
 */
export function unrestrictedWarnings(suites: readonly ResolvedSuite[]): string[] {
  const out: string[] = [];
  for (const s of suites) {
    if (!s.allowUnrestricted || !s.podTemplate) continue;
    const v = restrictedViolations(renderJob(s).spec.template.spec);
    if (v.length) out.push(`suite ${s.name}: its podTemplate breaks Pod Security "restricted" (allowUnrestricted: true): ${v.join("; ")}`);
  }
  return out;
}

/** The field a restricted violation names: its text up to the first space or ':' (spec.containers[test-runner].securityContext.privileged). */
export function violationField(v: string): string {
  return /^[^\s:]+/.exec(v)?.[0] ?? "";
}

/**
 * The deepest place in the patch along a pod field path like spec.containers[test-runner].ports
 * (list elements found by name): where the line number points.
 */
export function patchPath(patch: Plain, fieldPath: string): Path {
  const out: Path = [];
  let node: unknown = patch;
  for (const token of fieldPath.split(".")) {
    const m = /^([^[]+)(?:\[(.+)\])?$/.exec(token);
    if (!m?.[1]) break;
    const [, key, name] = m;
    if (!isPlain(node) || !(key in node)) break;
    node = node[key];
    out.push(key);
    if (name === undefined) continue;
    const i = Array.isArray(node) ? node.findIndex((e) => isPlain(e) && e.name === name) : -1;
    if (i === -1) break;
    node = (node as unknown[])[i];
    out.push(i);
  }
  return out;
}

const isPlain = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);

/** The patched template is still a pod template in the places the checks read. */
function shapeProblems(t: PodTemplate): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (!isPlain(t.spec)) return [{ field: "spec", message: "expected the patched pod spec to be a mapping" }];
  const spec = t.spec as unknown as Plain;
  for (const list of ["initContainers", "containers", "ephemeralContainers", "volumes"]) {
    const v = spec[list];
    if (v === undefined) continue;
    if (!Array.isArray(v) || !v.every((e) => isPlain(e) && typeof e.name === "string")) {
      out.push({ field: `spec.${list}`, message: `expected spec.${list} to be a list of mappings, each with a name` });
    }
  }
  if (spec.securityContext !== undefined && !isPlain(spec.securityContext)) {
    out.push({ field: "spec.securityContext", message: "expected spec.securityContext to be a mapping" });
  }
  if (t.metadata !== undefined && !isPlain(t.metadata)) out.push({ field: "metadata", message: "expected metadata to be a mapping" });
  return out;
}

/** incluster's labels, containers (in their lists), their volume mounts and the volumes are all still there, unchanged in name. */
function ownershipProblems(before: PodTemplate, after: PodTemplate, patch: Plain, where: Path, at: (field: string) => Path): Problem[] {
  const out: Problem[] = [];
  for (const what of ["labels", "annotations"] as const) {
    const was: Record<string, unknown> = before.metadata[what] ?? {};
    const got = (after.metadata as Plain | undefined)?.[what];
    const now: Plain = isPlain(got) ? got : {};
    for (const k of new Set([...Object.keys(was), ...Object.keys(now)])) {
      if (!reservedKeyProblem(k, what === "labels" ? "label" : "annotation") || was[k] === now[k]) continue;
      const set = isPlain(patch.metadata) && isPlain(patch.metadata[what]) && k in patch.metadata[what];
      out.push({
        path: set ? [...where, "metadata", what, k] : at(`metadata.${what}`),
        message:
          `${what === "labels" ? "label" : "annotation"} ${JSON.stringify(k)} is incluster's own (runs find their pods by it); ` +
          "the patch must not change or remove it",
      });
    }
  }
  const spec = after.spec as PodSpec;
  for (const list of ["initContainers", "containers"] as const) {
    for (const c of before.spec[list] ?? []) {
      const found = (spec[list] ?? []).find((x) => x.name === c.name);
      if (!found) {
        out.push({
          path: at(`spec.${list}[${c.name}]`),
          message:
            `container ${JSON.stringify(c.name)} is incluster's own (${ROLE[c.name] ?? "the run needs it"}) and must stay in spec.${list}; ` +
            "the patch must not remove or rename it (patch its fields by name instead)",
        });
      } else out.push(...mountProblems(c, found, `spec.${list}[${c.name}]`, at));
    }
  }
  for (const v of before.spec.volumes ?? []) {
    if (!(spec.volumes ?? []).some((x) => x.name === v.name)) {
      out.push({
        path: at(`spec.volumes[${v.name}]`),
        message: `volume ${JSON.stringify(v.name)} is one the run mounts; the patch must not remove or rename it`,
      });
    }
  }
  return out;
}

function mountProblems(was: Container, now: Container, field: string, at: (field: string) => Path): Problem[] {
  const mounts = Array.isArray(now.volumeMounts) ? now.volumeMounts : [];
  return (was.volumeMounts ?? [])
    .filter((m) => !mounts.some((x) => x.mountPath === m.mountPath && x.name === m.name))
    .map((m) => ({
      path: at(`${field}.volumeMounts`),
      message: `${field}: volume ${m.name} at ${m.mountPath} is one the run needs there; the patch must not remove or move it`,
    }));
}
