// `git ls-remote <url> <ref>` output -> the commit the ref names, the way git itself would pick
// it: a branch before a tag, an annotated tag peeled to its commit. Pure.

export function pickCommit(lsRemote: string, ref: string): string | undefined {
  const refs = new Map<string, string>();
  for (const line of lsRemote.split("\n")) {
    const [sha, name] = line.trim().split(/\s+/);
    if (sha && name) refs.set(name, sha);
  }
  const candidates = ref.startsWith("refs/")
    ? [`${ref}^{}`, ref]
    : ref === "HEAD"
      ? ["HEAD"]
      : [`refs/heads/${ref}`, `refs/tags/${ref}^{}`, `refs/tags/${ref}`];
  for (const c of candidates) {
    const sha = refs.get(c);
    if (sha) return sha;
  }
  return undefined;
}

/** A 40-hex ref is already a commit: ls-remote cannot list it, the clone fetches it exactly. */
export function isCommitId(ref: string): boolean {
  return /^[0-9a-f]{40}$/.test(ref);
}
