// The source stage's orchestrator, run by `run` before anything reaches the cluster:
// git: resolve the ref to the commit the pod will check out (a missing ref stops the run here);
// local: find the base commit the remote has and pack the working tree's differences from it.
import { lstatSync, readFileSync, readlinkSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import type { ResolvedSource, ResolvedSuite } from "../config/resolve.js";
import { CouldNotRunError } from "../errors.js";
import { git, withIndexCopy } from "./git.js";
import type { GitEnv } from "./git.js";
import { pickCommit } from "./git-ref.js";
import { redactUrl, urlHasCredentials } from "../config/git-fields.js";
import { leftOutNote, splitCredentialFiles } from "./credential-files.js";
import { humanBytes } from "../bytes.js";
import { OVERLAY_LIMIT_BYTES, overlayTooBig, planOverlay } from "./overlay-plan.js";
import { tar, type TarEntry } from "./tar.js";

export interface SourceNotes {
  info(text: string): void;
}

/** Every suite shares the config's source: resolve it once and give each suite the result. */
export interface SourceOptions {
  /** The overlay's size cap (default OVERLAY_LIMIT_BYTES). */
  limit?: number;
  /** The environment git runs in (default process.env). */
  env?: GitEnv;
}

export async function resolveSources(suites: readonly ResolvedSuite[], configDir: string, notes: SourceNotes, o: SourceOptions = {}): Promise<ResolvedSuite[]> {
  const first = suites[0]?.source;
  if (!first || first.kind === "image") return [...suites];
  const env = o.env ?? process.env;
  const source = first.kind === "git" ? await resolveGit(first, notes, env) : await resolveLocal(first, configDir, notes, o.limit ?? OVERLAY_LIMIT_BYTES, env);
  return suites.map((s) => ({ ...s, source }));
}

async function resolveGit(src: Extract<ResolvedSource, { kind: "git" }>, notes: SourceNotes, base: GitEnv): Promise<ResolvedSource> {
  if (src.commit) {
    notes.info(`source: ${src.url} at commit ${src.commit}`);
    return src;
  }
  // No `--` (git 2.39 takes it as the repository); a URL starting with "-" would be an option.
  if (src.url.startsWith("-")) throw new CouldNotRunError("GIT_BAD_URL", `source.git.url "${src.url}" starts with "-"`, "fix source.git.url");
  const r = await git(["ls-remote", src.url, src.ref, `refs/tags/${src.ref}^{}`], { timeoutMs: 30_000, base });
  if (!r.ok) {
    throw new CouldNotRunError(
      "GIT_REMOTE_FAILED",
      `cannot ask ${src.url} for ref "${src.ref}": git ls-remote failed:\n${r.stderr.trim()}`,
      `check the URL and your access: git ls-remote ${src.url}`,
    );
  }
  const commit = pickCommit(r.stdout, src.ref);
  if (!commit) {
    throw new CouldNotRunError(
      "GIT_REF_NOT_FOUND",
      `ref "${src.ref}" does not exist in ${src.url} (no branch or tag of that name); nothing was created in the cluster`,
      `push it (git push origin ${src.ref}) or fix source.git.ref; list what exists with: git ls-remote ${src.url}`,
    );
  }
  notes.info(`source: ${src.url} ref ${src.ref} is commit ${commit}`);
  return { ...src, commit };
}

type LocalSource = Extract<ResolvedSource, { kind: "local" }>;

async function resolveLocal(src: LocalSource, configDir: string, notes: SourceNotes, limit: number, gitEnv: GitEnv): Promise<ResolvedSource> {
  const dir = isAbsolute(src.path) ? src.path : resolve(configDir, src.path);
  let cwd = dir;
  const must = async (args: string[], what: string, hint: string, env?: Record<string, string>) => {
    const r = await git(args, { cwd, base: gitEnv, ...(env ? { env } : {}) });
    if (!r.ok) throw new CouldNotRunError("LOCAL_SOURCE", `source.local: ${what}: ${r.stderr.trim()}`, hint);
    return r.stdout;
  };
  const top = (
    await must(["rev-parse", "--show-toplevel"], `${dir} is not in a git working tree`, "source.local needs a git repository; set source.local.path")
  ).trim();
  // From here on every path git prints is relative to the top of the working tree.
  cwd = top;
  const gitDir = (await must(["rev-parse", "--absolute-git-dir"], "no git dir", "")).trim();
  await must(["rev-parse", "--verify", "HEAD"], "the repository has no commit yet", "commit and push once: the pod clones the base commit from the remote");
  const url =
    src.url ?? (await must(["remote", "get-url", "--", src.remote], `no remote "${src.remote}"`, "set source.local.remote (or source.local.url)")).trim();
  // The URL goes into the Job and the log: a token in the remote's URL must not travel with it.
  if (urlHasCredentials(url)) {
    throw new CouldNotRunError(
      "LOCAL_URL_CREDENTIALS",
      `source.local: the URL of remote "${src.remote}" (${redactUrl(url)}) contains credentials; they would be in the Job spec and the pod's log`,
      "set source.local.url to the URL without them, and put the credentials in a Secret named by source.local.credentials.secretRef",
    );
  }
  const tips = (await must(["for-each-ref", "--format=%(objectname)", `refs/remotes/${src.remote}/`], "cannot list remote-tracking branches", ""))
    .split("\n")
    .filter(Boolean);
  const bases = new Set<string>();
  for (const tip of new Set(tips)) {
    const mb = await git(["merge-base", "HEAD", tip], { cwd: top, base: gitEnv });
    if (mb.ok && mb.stdout.trim()) bases.add(mb.stdout.trim());
  }
  if (!bases.size) {
    throw new CouldNotRunError(
      "LOCAL_NO_BASE",
      `source.local: no commit of HEAD is on remote "${src.remote}" (${url})`,
      `push a commit once (git push ${src.remote} HEAD), or git fetch ${src.remote} if it is there already`,
    );
  }
  // The newest of the shared commits: the pod fetches it, then the overlay brings the rest.
  const base = (await must(["rev-list", "-n1", "--topo-order", ...bases], "cannot order the base commits", "")).trim();

  const plan = await withIndexCopy(gitDir, async (env) => {
    const diff = await must(["diff", "--name-status", "-z", "--no-renames", "--ignore-submodules", base, "--"], "git diff failed", "", env);
    const untracked = await must(["ls-files", "--others", "--exclude-standard", "-z"], "git ls-files failed", "", env);
    return planOverlay(diff, untracked);
  });
  // git diff and ls-files answer relative to the top of the working tree.
  const { keep, leftOut } = splitCredentialFiles(plan.write, src.include ?? [], (p) => readSmallText(join(top, p)));
  if (leftOut.length > 0) notes.info(leftOutNote(leftOut));
  const entries: TarEntry[] = [];
  const sizes: { path: string; size: number }[] = [];
  for (const p of keep) {
    const full = join(top, p);
    const st = lstatSync(full, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isSymbolicLink()) entries.push({ path: p, content: Buffer.alloc(0), executable: false, linkTarget: readlinkSync(full), mtime: st.mtimeMs / 1000 });
    else if (st.isFile()) {
      entries.push({ path: p, content: readFileSync(full), executable: (st.mode & 0o111) !== 0, mtime: st.mtimeMs / 1000 });
      sizes.push({ path: p, size: st.size });
    }
  }
  const archive = gzipSync(tar(entries), { level: 9 });
  if (archive.length > limit) {
    throw new CouldNotRunError(
      "LOCAL_OVERLAY_TOO_BIG",
      `source.local: ${overlayTooBig(archive.length, limit, sizes)}`,
      "commit and push the big files (the pod then gets them from the base commit), or list them in .gitignore",
    );
  }
  notes.info(
    `source: local working tree ${top} = ${url} commit ${base} + overlay of ${entries.length} file(s) written, ` +
      `${plan.deleted.length} deleted (${humanBytes(archive.length)} compressed)`,
  );
  return {
    ...src,
    url,
    commit: base,
    overlay: { archiveBase64: archive.toString("base64"), deleted: plan.deleted, files: entries.length, bytes: archive.length },
  };
}

/** The start of a file, for the credential check of .npmrc/.pypirc; "" when it cannot be read. */
function readSmallText(path: string): string {
  try {
    return readFileSync(path, "utf8").slice(0, 64 * 1024);
  } catch {
    return "";
  }
}
