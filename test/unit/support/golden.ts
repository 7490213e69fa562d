// Golden files under test/golden/: compare, or rewrite them with UPDATE_GOLDEN=1 (sonobuoy's
// testdata/*.golden with an update flag). Review the diff of a rewrite like any code change.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";

export const GOLDEN_DIR = join(import.meta.dirname, "..", "..", "golden");

export function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing; create it with UPDATE_GOLDEN=1 npx vitest run --project unit`);
  expect(actual, `${name} differs from its golden file; if the change is intended, rerun with UPDATE_GOLDEN=1`).toBe(readFileSync(path, "utf8"));
}
