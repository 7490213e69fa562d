// Reads a suite's JUnit file from its collected artifacts; parsing is pure (results/junit.ts).
import { readFileSync } from "node:fs";
import { parseJunit } from "../results/junit.js";
import type { JunitRunner } from "../results/junit.js";
import type { ParsedTests } from "../results/model.js";

export function readJunit(path: string, runner: JunitRunner): ParsedTests | undefined {
  let xml: string;
  try {
    xml = readFileSync(path, "utf8");
  } catch {
    return undefined; // the runner wrote none (it failed before, or this runner writes elsewhere)
  }
  return parseJunit(xml, { runner });
}
