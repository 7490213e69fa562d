// Reads the build context the way the engine will send it: every file not excluded by
// .dockerignore, with its executable bit and content hash (the inputs of contentTag).
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import type { ContextFile } from "./content-hash.js";
import { isIgnored, parseDockerignore } from "./dockerignore.js";

export function contextFiles(dir: string): ContextFile[] {
  const ignorePath = join(dir, ".dockerignore");
  const rules = existsSync(ignorePath) ? parseDockerignore(readFileSync(ignorePath, "utf8")) : [];
  const out: ContextFile[] = [];
  // An excluded folder is only walked when a `!pattern` might re-include something inside it;
  // otherwise node_modules and .git cost nothing.
  const reincludes = rules.some((r) => r.negate);
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (reincludes || !isIgnored(path, rules)) walk(path);
        continue;
      }
      if (isIgnored(path, rules)) continue;
      const full = join(dir, path);
      const st = lstatSync(full);
      const content = st.isSymbolicLink() ? Buffer.from(readlinkSync(full)) : st.isFile() ? readFileSync(full) : undefined;
      if (!content) continue;
      out.push({ path, executable: (st.mode & 0o111) !== 0, sha256: createHash("sha256").update(content).digest("hex"), size: st.size });
    }
  };
  walk("");
  return out;
}
