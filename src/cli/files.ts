// Carrying out a write plan on disk, and saying what happened to each file.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { planWrites, type PlannedWrite } from "./write-plan.js";

export function writeFiles(root: string, files: readonly { path: string; content: string }[], force: boolean): PlannedWrite[] {
  const plan = planWrites(files, (p) => (existsSync(join(root, p)) ? readFileSync(join(root, p), "utf8") : undefined), force);
  for (const f of plan) {
    if (f.action !== "create" && f.action !== "overwrite") continue;
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    writeFileSync(join(root, f.path), f.content);
  }
  return plan;
}

const VERB = { create: "created", overwrite: "overwrote", unchanged: "unchanged", skip: "skipped (differs; --force overwrites)" } as const;

export function describeWrites(plan: readonly PlannedWrite[]): string {
  return plan.map((f) => `${VERB[f.action]}: ${f.path}\n`).join("");
}
