// Which files the local overlay carries, from git's own answers, and whether it fits. Pure.
import { humanBytes } from "../bytes.js";
import { RUNS_DIR } from "../names.js";

export interface OverlayPlan {
  /** Changed, added or untracked: written over the base commit's checkout. */
  write: string[];
  /** Deleted relative to the base commit. */
  deleted: string[];
}

/**
 * `git diff --name-status -z --no-renames <base>` (base commit vs working tree, staged or not)
 * plus `git ls-files --others --exclude-standard -z` (untracked, .gitignore respected).
 */
export function planOverlay(diffNameStatusZ: string, untrackedZ: string): OverlayPlan {
  const write = new Set<string>();
  const deleted = new Set<string>();
  const f = diffNameStatusZ.split("\0");
  for (let i = 0; i + 1 < f.length; i += 2) {
    const status = f[i] ?? "";
    const path = f[i + 1] ?? "";
    if (!path) continue;
    if (status.startsWith("D")) deleted.add(path);
    else write.add(path);
  }
  for (const p of untrackedZ.split("\0")) if (p && !isRunReport(p)) write.add(p);
  return { write: [...write].sort(), deleted: [...deleted].sort() };
}

/**
 * incluster's own run reports (`.incluster/runs/...` under the folder `run` was started in) are
 * untracked files in the working tree unless ignored; shipping them would grow every overlay.
 */
function isRunReport(path: string): boolean {
  return path.startsWith(`${RUNS_DIR}/`) || path.includes(`/${RUNS_DIR}/`);
}

/** 1 MiB is the API's limit for a ConfigMap; keep room for the deleted list and metadata. */
export const OVERLAY_LIMIT_BYTES = 960 * 1024;

/** The "too big" message: the size, the limit, and the files that weigh most. */
export function overlayTooBig(compressed: number, limit: number, sizes: readonly { path: string; size: number }[]): string {
  const biggest = [...sizes].sort((a, b) => b.size - a.size).slice(0, 5).map((s) => `${s.path} (${humanBytes(s.size)})`);
  return (
    `the local overlay is ${humanBytes(compressed)} compressed; the limit is ${humanBytes(limit)} (it travels in a ConfigMap, at most 1 MiB). ` +
    `Biggest files: ${biggest.join(", ")}`
  );
}
