// The guide's Dockerfile → image.base (its FROM). The file itself is kept as the suite's
// build.dockerfile: its RUN lines are the suite's dependencies. Pure.
import type { SourceFile, Unmapped } from "./types.js";

export function readDockerfile(f: SourceFile): { base?: string; unmapped: Unmapped[] } {
  const lines = f.text.split("\n");
  const froms = lines.map((l, i) => ({ m: /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)/i.exec(l), line: i + 1 })).filter((x) => x.m);
  const first = froms[0];
  if (!first?.m?.[1]) return { unmapped: [{ file: f.path, line: 1, value: "(no FROM line)", why: "no base image found; set image.base by hand" }] };
  // A multi-stage build: the last stage is what runs; the first FROM is not the base of the test image.
  const last = froms[froms.length - 1];
  const unmapped: Unmapped[] =
    froms.length > 1 && last?.m?.[1]
      ? [
          {
            file: f.path,
            line: last.line,
            value: (lines[last.line - 1] ?? "").trim(),
            why: "multi-stage Dockerfile: image.base is the first FROM; the kept build.dockerfile builds all stages",
          },
        ]
      : [];
  return { base: first.m[1], unmapped };
}
