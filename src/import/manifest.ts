// The guide's deploy/k8s/99-test-<name>-e2e.yaml → namespace, env, resources, ttl, registry,
// clone URL and ref, and whether the pod gets API access. Every field incluster cannot express is
// listed with its line. Pure: text in, data out.
import { LineCounter, parseAllDocuments, type Document } from "yaml";
import { DEFAULT_CLONE_IMAGE } from "../config/schema.js";
import type { EnvRef } from "../config/resolve.js";
import { baseName, CLONE_CONTAINER, TEST_CONTAINER } from "../names.js";
import { RUN_AS, WORKSPACE, WORKSPACE_VOLUME } from "../render/job.js";
import { ROLE_RULES } from "../render/rbac.js";
import type { ImportedSuite, SourceFile, Unmapped } from "./types.js";

type Path = readonly (string | number)[];
type Plain = Record<string, unknown>;

/** Keys whose meaning incluster keeps (same value, or mapped); any other key is listed as unmapped. */
const KNOWN = {
  job: ["apiVersion", "kind", "metadata", "spec"],
  jobSpec: ["ttlSecondsAfterFinished", "backoffLimit", "activeDeadlineSeconds", "template"],
  podSpec: ["restartPolicy", "securityContext", "containers", "initContainers", "volumes", "serviceAccountName"],
  container: ["name", "image", "imagePullPolicy", "securityContext", "command", "args", "workingDir", "volumeMounts", "resources", "env"],
} as const;

const DIFF = (n: number) => `docs/render-differences.md, difference ${n}`;

export interface ManifestFacts extends Omit<ImportedSuite, "base" | "dockerfile" | "test" | "install"> {
  /** The Job's test container runs the baked run_test.py (the guide's command). */
  runsRunTestPy: boolean;
}

export function readManifest(f: SourceFile, fallbackName: string): ManifestFacts {
  const lc = new LineCounter();
  const docs = parseAllDocuments(f.text, { lineCounter: lc });
  const unmapped: Unmapped[] = [];
  const docList = Array.isArray(docs) ? docs : [];
  const jobDoc = docList.find((d) => (d.toJS() as Plain | null)?.kind === "Job");
  if (!jobDoc) {
    return {
      name: fallbackName,
      env: [],
      runsRunTestPy: false,
      unmapped: [{ file: f.path, line: 1, value: "(no Job)", why: "no kind: Job in this manifest" }],
    };
  }
  const at = (doc: Document, path: Path) => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lc.linePos(node.range[0]).line : 1;
  };
  const note = (path: Path, value: unknown, why: string, doc: Document = jobDoc) =>
    unmapped.push({ file: f.path, line: at(doc, path), value: show(path, value), why });
  // A line of a script inside the manifest (the clone's block scalar): the first match after a path's own line.
  const textLines = f.text.split("\n");
  const noteText = (path: Path, re: RegExp, value: string, why: string) => {
    const from = at(jobDoc, path);
    const i = textLines.findIndex((l, n) => n + 1 >= from && re.test(l));
    unmapped.push({ file: f.path, line: i === -1 ? from : i + 1, value, why });
  };
  const job = jobDoc.toJS() as Plain;
  const meta = obj(job.metadata);
  const spec = obj(job.spec);
  const pod = obj(obj(spec.template).spec);
  const jobName = str(meta.name) ?? baseName(fallbackName);
  const name = /^test-(.+)-e2e$/.exec(jobName)?.[1] ?? jobName;
  if (name === jobName) note(["metadata", "name"], jobName, "the suite is named after it; incluster names Jobs test-<suite>-e2e-<run id>");
  unknownKeys(job, KNOWN.job, [], note);
  unknownKeys(spec, KNOWN.jobSpec, ["spec"], note);
  unknownKeys(pod, KNOWN.podSpec, ["spec", "template", "spec"], note);
  const backoff = spec.backoffLimit;
  if (backoff !== undefined && backoff !== 0) note(["spec", "backoffLimit"], backoff, `incluster never retries a failing test (backoffLimit: 0; ${DIFF(3)})`);

  const containers = list(pod.containers);
  const ti = Math.max(0, containers.findIndex((c) => c.name === TEST_CONTAINER));
  const test = containers[ti] ?? {};
  const tp: Path = ["spec", "template", "spec", "containers", ti];
  containers.forEach(
    (c, i) => i !== ti && note(["spec", "template", "spec", "containers", i], c.name, "incluster runs one test container; sidecars are not carried over"),
  );
  unknownKeys(test, KNOWN.container, tp, note);
  const image = imageParts(str(test.image) ?? "");
  let registry: string | undefined;
  if (image && image.repository === baseName(name)) {
    registry = image.registry;
    if (image.tag) note([...tp, "image"], test.image, `incluster builds and tags the image by content hash (sha-…) instead of a fixed tag (${DIFF(9)})`);
  } else if (test.image !== undefined) {
    note([...tp, "image"], test.image, `not <registry>/${baseName(name)}:<tag>; set suites.${name}.image to run it as it is (then nothing is built)`);
  }
  if (test.imagePullPolicy !== undefined) note([...tp, "imagePullPolicy"], test.imagePullPolicy, `Always for :latest, else IfNotPresent (${DIFF(9)})`);
  const command = list(test.command as unknown[]).join(" ");
  const runsRunTestPy = /run_test\.py$/.test(command) || /run_test\.py$/.test(list(test.args as unknown[]).join(" "));
  if (test.command !== undefined && !runsRunTestPy) {
    note([...tp, "command"], command, "not the guide's run_test.py: set suites.<suite>.command to the program to run");
  }
  if (test.workingDir !== undefined && test.workingDir !== WORKSPACE) note([...tp, "workingDir"], test.workingDir, `incluster runs tests in ${WORKSPACE}`);
  checkSecurity(obj(test.securityContext), [...tp, "securityContext"], note);

  const env: [string, string | EnvRef][] = [];
  list(test.env).forEach((e, i) => {
    const n = str(e.name) ?? "";
    const p: Path = [...tp, "env", i];
    const from = obj(e.valueFrom);
    if (e.valueFrom !== undefined) {
      const s = obj(from.secretKeyRef);
      const c = obj(from.configMapKeyRef);
      if (str(s.name) && str(s.key)) env.push([n, { secretKeyRef: { name: String(s.name), key: String(s.key) } }]);
      else if (str(c.name) && str(c.key)) env.push([n, { configMapKeyRef: { name: String(c.name), key: String(c.key) } }]);
      else note(p, n, "only secretKeyRef and configMapKeyRef values are supported in env");
      return;
    }
    const v = e.value === undefined ? "" : String(e.value);
    if (n === "PYTEST_CURRENT_TEST") note(p, `${n}=${JSON.stringify(v)}`, `pytest sets it itself (${DIFF(11)})`);
    else if (n === "PYTHONUNBUFFERED" && v === "1") return; // incluster always sets it first
    else env.push([n, v]);
  });
  const res = obj(test.resources);
  const resources = {
    ...(res.requests ? { requests: strings(obj(res.requests)) } : {}),
    ...(res.limits ? { limits: strings(obj(res.limits)) } : {}),
  };

  const volumes = list(pod.volumes);
  volumes.forEach((v, i) => {
    if (v.name === WORKSPACE_VOLUME && v.emptyDir !== undefined) return;
    note(["spec", "template", "spec", "volumes", i], v.name, "incluster mounts only the cloned workspace");
  });
  list(test.volumeMounts).forEach(
    (m, i) => m.name !== WORKSPACE_VOLUME && note([...tp, "volumeMounts", i], m.name, "incluster mounts only the cloned workspace"),
  );

  const psc = obj(pod.securityContext);
  if (psc.fsGroup !== undefined && psc.fsGroup !== RUN_AS) {
    note(["spec", "template", "spec", "securityContext", "fsGroup"], psc.fsGroup, `incluster runs as uid/gid ${RUN_AS} (${DIFF(1)})`);
  }
  if (pod.serviceAccountName !== undefined && pod.serviceAccountName !== baseName(name)) {
    note(
      ["spec", "template", "spec", "serviceAccountName"],
      pod.serviceAccountName,
      `incluster uses its own ServiceAccount ${baseName(name)} (${DIFF(6)})`,
    );
  }

  const clone = readClone(list(pod.initContainers), note, noteText);
  const kubernetesAccess = readAccess(docList, name, (doc, path, value, why) => note(path, value, why, doc));
  return {
    name,
    ...(str(meta.namespace) ? { namespace: String(meta.namespace) } : {}),
    ...(registry ? { registry } : {}),
    ...clone,
    env,
    ...(res.requests || res.limits ? { resources } : {}),
    ...(typeof spec.ttlSecondsAfterFinished === "number" ? { ttlSecondsAfterFinished: spec.ttlSecondsAfterFinished } : {}),
    ...(typeof spec.activeDeadlineSeconds === "number" ? { timeoutSeconds: spec.activeDeadlineSeconds } : {}),
    ...(kubernetesAccess === false ? { kubernetesAccess } : {}),
    runsRunTestPy,
    unmapped,
  };
}

type Note = (path: Path, value: unknown, why: string) => void;

/** The clone init container: URL from its `git clone`, ref from GIT_BRANCH (else the script's default). */
function readClone(
  inits: Plain[],
  note: Note,
  noteText: (path: Path, re: RegExp, value: string, why: string) => void,
): Pick<ImportedSuite, "gitUrl" | "gitRef" | "cloneImage"> {
  const i = inits.findIndex((c) => c.name === CLONE_CONTAINER || /git clone/.test(list(c.command as unknown[]).join(" ")));
  const base: Path = ["spec", "template", "spec", "initContainers"];
  inits.forEach((c, j) => j !== i && note([...base, j], c.name, "incluster's only init container is its clone"));
  const c = inits[i];
  if (!c) return {};
  const p: Path = [...base, i];
  const script = list(c.command as unknown[]).map(String).join("\n") + "\n" + list(c.args as unknown[]).map(String).join("\n");
  const clones = [...script.matchAll(/git clone\b[^\n]*?\s((?:https?|git|ssh):\/\/\S+|[\w.-]+@[\w.-]+:\S+)/g)].map((m) => m[1] ?? "");
  const url = clones[0];
  const envs = list(c.env);
  const branchVar = /--branch\s+"?\$\{?(\w+)\}?"?/.exec(script)?.[1];
  // BRANCH="${GIT_BRANCH:-main}": the variable the Job sets, and the script's own default.
  const indirect = branchVar ? new RegExp(`${branchVar}="?\\$\\{(\\w+):-([^}]+)\\}"?`).exec(script) : null;
  const envName = indirect?.[1] ?? branchVar;
  const fromEnv = envs.find((e) => e.name === envName);
  const ref = fromEnv?.value !== undefined ? String(fromEnv.value) : (indirect?.[2] ?? /--branch\s+([\w./-]+)/.exec(script)?.[1]);
  if (clones.length > 1 || /\|\|/.test(script)) {
    noteText(
      [...p, "command"],
      /\|\|/,
      "git clone … || git clone <default branch>",
      `incluster's clone never falls back to another branch and keeps git's errors (${DIFF(2)})`,
    );
  }
  if (/\bchown\b/.test(script)) {
    noteText([...p, "command"], /\bchown\b/, "chown -R 1000:1000 /workspace", `not needed: fsGroup ${RUN_AS} makes the workspace writable (${DIFF(1)})`);
  }
  const sc = obj(c.securityContext);
  if (sc.runAsUser !== undefined && sc.runAsUser !== RUN_AS) {
    note([...p, "securityContext", "runAsUser"], sc.runAsUser, `the clone runs as uid ${RUN_AS}, as Pod Security "restricted" requires (${DIFF(1)})`);
  }
  const add = list(obj(sc.capabilities).add as unknown[]);
  if (add.length) note([...p, "securityContext", "capabilities", "add"], add.join(", "), `no capability is added; all are dropped (${DIFF(1)})`);
  envs.forEach((e, j) => e.name !== envName && note([...p, "env", j], e.name, "the clone's environment is incluster's own (GIT_URL, GIT_REF, GIT_COMMIT)"));
  if (!url) note([...p, "command"], "(no git clone URL)", "set source.git.url by hand");
  const image = str(c.image);
  return { ...(url ? { gitUrl: url } : {}), ...(ref ? { gitRef: ref } : {}), ...(image && image !== DEFAULT_CLONE_IMAGE ? { cloneImage: image } : {}) };
}

/** The guide's Role (pods, pods/log: get, list) is what kubernetesAccess grants; no Role means none. */
function readAccess(docs: Document[], name: string, note: (doc: Document, path: Path, value: unknown, why: string) => void): boolean | undefined {
  const role = docs.find((d) => (d.toJS() as Plain | null)?.kind === "Role");
  if (!role) return false;
  const rules = list(obj(role.toJS()).rules);
  const same = JSON.stringify(rules.map(normRule)) === JSON.stringify(ROLE_RULES.map((r) => normRule(r as unknown as Plain)));
  if (!same) {
    note(role, ["rules"], "(rules)", `incluster's Role for ${baseName(name)} grants get/list on pods and pods/log only; other rules are not carried over`);
  }
  return undefined;
}

function normRule(r: Plain) {
  const sorted = (v: unknown) => list(v as unknown[]).map(String).sort();
  return { apiGroups: sorted(r.apiGroups), resources: sorted(r.resources), verbs: sorted(r.verbs) };
}

function checkSecurity(sc: Plain, path: Path, note: Note): void {
  if (sc.runAsUser !== undefined && sc.runAsUser !== RUN_AS) note([...path, "runAsUser"], sc.runAsUser, `incluster runs tests as uid ${RUN_AS} (${DIFF(1)})`);
  if (sc.readOnlyRootFilesystem === true) {
    note([...path, "readOnlyRootFilesystem"], true, "incluster's test container has a writable root filesystem (pip install --user)");
  }
}

function unknownKeys(o: Plain, known: readonly string[], path: Path, note: Note): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) note([...path, k], o[k], "incluster.yaml has no field for it");
}

/** registry/path/repository:tag → its parts; undefined for a reference without a registry path. */
export function imageParts(ref: string): { registry: string; repository: string; tag?: string } | undefined {
  const at = ref.indexOf("@");
  const noDigest = at === -1 ? ref : ref.slice(0, at);
  const slash = noDigest.lastIndexOf("/");
  if (slash <= 0) return undefined;
  const last = noDigest.slice(slash + 1);
  const colon = last.indexOf(":");
  return {
    registry: noDigest.slice(0, slash),
    repository: colon === -1 ? last : last.slice(0, colon),
    ...(colon !== -1 ? { tag: last.slice(colon + 1) } : at !== -1 ? { tag: ref.slice(at) } : {}),
  };
}

function show(path: Path, value: unknown): string {
  const key = String(path[path.length - 1] ?? "");
  const v = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
  const one = v.split("\n")[0] ?? v;
  return /^\d+$/.test(key) ? one : `${key}: ${one.length > 80 ? `${one.slice(0, 77)}...` : one}`;
}

const obj = (v: unknown): Plain => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Plain) : {});
const list = <T = Plain>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const strings = (m: Plain): Record<string, string> => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, String(v)]));
