// Files that look like credentials stay out of a local overlay unless source.local.include names
// them: the overlay lands in a ConfigMap anyone who can read the namespace can read. Pure: the
// content of the two files whose name alone does not decide (.npmrc, .pypirc) is passed in.

/** Why a path looks like credentials, or undefined. `read` gives the file's text when the name alone does not decide. */
export function credentialReason(path: string, read: () => string): string | undefined {
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (base.startsWith(".env")) return "an environment file (.env*)";
  if (/\.(pem|key)$/i.test(base)) return "a key or certificate (*.pem, *.key)";
  if (/^id_(rsa|dsa|ecdsa|ed25519)/.test(base)) return "an SSH key (id_rsa*)";
  if (/\.kubeconfig$/i.test(base)) return "a kubeconfig (*.kubeconfig)";
  if (base === ".npmrc" && /(_authToken|_auth|_password)\s*=/.test(read())) return "an .npmrc with a registry token";
  if (base === ".pypirc" && /^\s*password\s*[:=]/m.test(read())) return "a .pypirc with a password";
  return undefined;
}

/** A glob as source.local.include takes it: * and ? within one folder, ** across folders; a plain path matches itself. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*" && glob[i + 1] === "*") {
      // "**/" matches zero or more folders; a trailing "**" matches everything below.
      const slash = glob[i + 2] === "/";
      re += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

export interface CredentialSplit {
  keep: string[];
  leftOut: { path: string; why: string }[];
}

/** The paths to ship, and those left out (credential-like and not named by an include pattern). */
export function splitCredentialFiles(paths: readonly string[], include: readonly string[], read: (path: string) => string): CredentialSplit {
  const allowed = include.map(globToRegExp);
  const keep: string[] = [];
  const leftOut: CredentialSplit["leftOut"] = [];
  for (const p of paths) {
    const why = credentialReason(p, () => read(p));
    if (why && !allowed.some((r) => r.test(p))) leftOut.push({ path: p, why });
    else keep.push(p);
  }
  return { keep, leftOut };
}

/** The info line the run prints about what it left out. */
export function leftOutNote(leftOut: CredentialSplit["leftOut"]): string {
  const list = leftOut.map((l) => `${l.path} (${l.why})`).join(", ");
  return `source: left out ${leftOut.length} file(s) that look like credentials: ${list}; to ship one, name it in source.local.include`;
}
