// .dockerignore as the engines read it (moby's patternmatcher): one pattern per line, `#`
// comments, `!` re-includes, `**` crosses folders, a pattern matching a folder excludes what is
// inside it, the last matching pattern wins. Pure: the hash and the engine must agree on what
// the context holds, or a tag would not name what was built.

export interface IgnoreRule {
  negate: boolean;
  regex: RegExp;
}

export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    if (negate) line = line.slice(1).trim();
    // Leading and trailing slashes, and ./, mean nothing for a context-relative path.
    line = line.replace(/^(\.\/|\/)+/, "").replace(/\/+$/, "");
    if (!line) continue;
    rules.push({ negate, regex: globRegex(line) });
  }
  return rules;
}

function globRegex(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? "";
    if (c === "*" && pattern[i + 1] === "*") {
      // `**/` matches zero or more folders; a trailing `**` matches everything below.
      const slash = pattern[i + 2] === "/";
      re += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "\\" && i + 1 < pattern.length) re += escape(pattern[++i] ?? "");
    else re += escape(c);
  }
  // A match on a folder covers everything inside it.
  return new RegExp(`^${re}(?:/.*)?$`);
}

function escape(c: string): string {
  return /[.+^${}()|[\]\\]/.test(c) ? `\\${c}` : c;
}

/** True when the context-relative path (with `/`) is excluded by the rules. */
export function isIgnored(path: string, rules: readonly IgnoreRule[]): boolean {
  let ignored = false;
  for (const r of rules) if (r.regex.test(path)) ignored = !r.negate;
  return ignored;
}
