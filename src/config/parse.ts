// Text of incluster.yaml -> a validated Config, or a UsageError listing every problem. Pure:
// the loader reads the file, this only parses, so tests feed it strings.
import { LineCounter, parseDocument } from "yaml";
import { UsageError } from "../errors.js";
import { formatProblem, zodProblems, type Problem } from "./problems.js";
import { API_VERSION, configSchema, type Config } from "./schema.js";

export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      const where = `${file}:${pos.line}:${pos.col}`;
      return `${where}: YAML syntax error: ${firstLine(e.message)}`;
    });
    throw new UsageError(`${file} is not valid YAML`, problems);
  }
  const data: unknown = doc.toJS();
  return checkParsed(data, file, (p) => lineSuffix(p, doc, lineCounter));
}

/** Checks already-parsed data against the schema (the library's validateConfig with an object). */
export function checkParsed(data: unknown, file: string, where: (p: Problem) => string = () => ""): Config {
  if (data === null || data === undefined) {
    throw new UsageError(`${file} is empty`, [`(top level): expected a mapping starting with apiVersion: ${API_VERSION}, got an empty document`]);
  }
  const result = configSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    const problems = zodProblems(result.error).map((p) => formatProblem(p) + where(p));
    throw new UsageError(`${file} has ${problems.length} problem${problems.length === 1 ? "" : "s"}`, problems);
  }
  return result.data;
}

// yaml's messages repeat a code excerpt on later lines; the first line says what is wrong.
function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
}

/** " (line N)" when the path exists in the document, so editors can jump there. */
function lineSuffix(p: Problem, doc: ReturnType<typeof parseDocument>, lc: LineCounter): string {
  if (p.path.length === 0) return "";
  const node = doc.getIn(p.path as unknown[], true) as { range?: [number, number, number] } | undefined;
  const offset = node?.range?.[0];
  return offset === undefined ? "" : ` (line ${lc.linePos(offset).line})`;
}
