// Text of incluster.yaml -> a validated Config, or a UsageError listing every problem. Pure:
// the loader reads the file, this only parses, so tests feed it strings.
import { LineCounter, isScalar, parseDocument, visit, type Document } from "yaml";
import { UsageError } from "../errors.js";
import { kindOf } from "../echo.js";
import { formatProblem, yamlTermsError, zodProblems, type Problem } from "./problems.js";
import { API_VERSION, configSchema, suitesSchema, type Config } from "./schema.js";
import { inspectDocument } from "./yaml-document.js";

/** Problems printed at once; the rest are counted (20,000 bad suites need no 20,000 lines). */
export const MAX_PROBLEMS = 50;
/** Aliases expanded when building data: more is an alias bomb ("billion laughs"), not a config. */
export const MAX_ALIAS_COUNT = 100;

/**
 * Checks a valid config further, with what this layer cannot import (render/'s podTemplate check);
 * its problems are reported as the schema's are, with their lines.
 */
export type ConfigCheck = (config: Config) => Problem[];

export function parseConfig(text: string, file: string, check?: ConfigCheck): Config {
  const lc = new LineCounter();
  // An error at the very end (an unclosed quote or bracket) is reported on the last line there is.
  const line = (offset: number) => lc.linePos(Math.min(offset, text.trimEnd().length)).line;
  let doc: Document;
  try {
    // uniqueKeys: false: duplicates are found by inspectDocument in one pass (yaml's check is quadratic).
    doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  } catch (err) {
    throw tooDeep(err, file);
  }
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const offset = e.code === "MISSING_CHAR" ? (openingQuote(doc, e.pos[0]) ?? e.pos[0]) : e.pos[0];
      const what = e.code === "MISSING_CHAR" && offset !== e.pos[0] ? "a quoted string is never closed (add the closing quote)" : firstLine(e.message);
      return `${file}:${line(offset)}:${lc.linePos(offset).col}: YAML syntax error: ${what}`;
    });
    throw new UsageError(`${file} is not valid YAML`, cap(problems));
  }
  const structure = inspectDocument(doc, line);
  if (structure.length > 0) throw problemsError(file, structure.map((p) => formatProblem(p)));
  // " (line N)" when the path exists in the document, so editors can jump there. getIn scans a
  // map's keys, which is fine for the MAX_PROBLEMS problems it is asked about.
  const where = (p: Problem) => {
    if (p.path.length === 0) return "";
    const offset = (doc.getIn(p.path as unknown[], true) as { range?: [number, number, number] } | undefined)?.range?.[0];
    return offset === undefined ? "" : ` (line ${line(offset)})`;
  };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // yaml throws a ReferenceError for an alias bomb or an alias used before its anchor.
    if (err instanceof ReferenceError) {
      throw new UsageError(`${file} uses YAML aliases in a way incluster does not read`, [
        `(top level): aliases (*name) expand to more than ${MAX_ALIAS_COUNT} copies, or one comes before its anchor (&name); write the values out`,
      ]);
    }
    throw tooDeep(err, file);
  }
  return checkParsed(data, file, where, check);
}

/** Checks already-parsed data against the schema (the library's validateConfig with an object). */
export function checkParsed(data: unknown, file: string, where: (p: Problem) => string = () => "", check?: ConfigCheck): Config {
  if (data === null || data === undefined) {
    throw new UsageError(`${file} is empty`, [`(top level): expected a mapping starting with apiVersion: ${API_VERSION}, got an empty document`]);
  }
  if (typeof data !== "object" || Array.isArray(data)) {
    // Not echoed: -c pointed at a credentials file would print its token.
    throw new UsageError(`${file} is not an incluster config`, [
      `(top level): expected a mapping starting with apiVersion: ${API_VERSION}, got ${kindOf(data)}; is -c/--config pointing at the right file?`,
    ]);
  }
  let problems: Problem[];
  try {
    const result = configSchema.safeParse(data, PARSE_OPTIONS);
    if (result.success) {
      problems = check?.(result.data) ?? [];
      if (problems.length === 0) return result.data;
    } else problems = zodProblems(result.error);
  } catch (err) {
    // zod gathers a document's issues in one array, spread into its parent's: past ~100,000
    // issues (thousands of bad suites) that overflows the stack. They are then gathered suite by suite.
    if (!(err instanceof RangeError)) throw err;
    problems = problemsBySuite(data as Record<string, unknown>);
  }
  // Only the problems printed are worded with their line; the rest are counted.
  const shown = problems.slice(0, MAX_PROBLEMS).map((p) => formatProblem(p) + where(p));
  const more = problems.length - shown.length;
  throw new UsageError(`${file} has ${problems.length} problem${problems.length === 1 ? "" : "s"}`, more > 0 ? [...shown, moreLine(more)] : shown);
}

// jitless: zod would otherwise generate a parser per object schema with new Function on first use,
// which one parse per process never pays back (20,000 suites validate no slower: bench/startup.mjs).
const PARSE_OPTIONS = { reportInput: true, error: yamlTermsError, jitless: true } as const;

/** The problems of everything but the suites, then of each suite on its own (each list stays small). */
function problemsBySuite(data: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const add = (found: readonly Problem[]) => {
    for (const p of found) problems.push(p);
  };
  const suites = data.suites !== null && typeof data.suites === "object" && !Array.isArray(data.suites) ? Object.entries(data.suites) : [];
  // Without its suites: the one problem that makes (no suite) is not one here.
  add(problemsOf(configSchema, { ...data, suites: {} }, []).filter((p) => !(p.path.length === 1 && p.path[0] === "suites")));
  for (const [name, suite] of suites) add(problemsOf(suitesSchema, { [name]: suite }, ["suites"]));
  return problems;
}

function problemsOf(schema: typeof configSchema | typeof suitesSchema, value: unknown, prefix: readonly PropertyKey[]): Problem[] {
  try {
    const r = schema.safeParse(value, PARSE_OPTIONS);
    return r.success ? [] : zodProblems(r.error).map((p) => ({ ...p, path: [...prefix, ...p.path] }));
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    // One suite (or the rest of the file) with more problems than zod can list, e.g. 100,000 bad env entries.
    const first = Object.keys(value as object)[0];
    return [
      {
        path: prefix.length ? [...prefix, first ?? ""] : [],
        message: "more problems than can be listed (is this a generated file?); fix its shape first",
      },
    ];
  }
}

function moreLine(n: number): string {
  return `… and ${n} more; fix these first`;
}

function problemsError(file: string, problems: string[]): UsageError {
  return new UsageError(`${file} has ${problems.length} problem${problems.length === 1 ? "" : "s"}`, cap(problems));
}

function cap(problems: string[]): string[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_PROBLEMS), moreLine(problems.length - MAX_PROBLEMS)];
}

/** Where the quoted scalar that runs to `offset` starts: an unclosed quote is reported where it opens. */
function openingQuote(doc: Document, offset: number): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Scalar(_, node) {
      if (!isScalar(node) || (node.type !== "QUOTE_DOUBLE" && node.type !== "QUOTE_SINGLE") || !node.range) return;
      if (node.range[0] <= offset && node.range[1] >= offset - 1) found = node.range[0];
    },
  });
  return found;
}

function tooDeep(err: unknown, file: string): unknown {
  // Nesting deep enough to exhaust the stack is not a config; anything else is a bug and stays one.
  if (err instanceof RangeError) {
    return new UsageError(`${file} is nested too deeply to be an incluster config`, [
      "(top level): flatten the document; incluster.yaml needs at most a few levels",
    ]);
  }
  return err;
}

// yaml's messages repeat a code excerpt on later lines; the first line says what is wrong.
function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
}
