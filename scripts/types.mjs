// The library's declarations as they ship (npm run build, after `tsc -p tsconfig.build.json`):
// only the files dist/types/index.d.ts reaches, and none of them importing another package.
//
// Why: the package has no dependencies (everything is bundled in dist/), so a declaration that
// imports zod would not resolve in a user's project, and with skipLibCheck off their type check
// would fail. The public Config type is zod's `z.infer<typeof configSchema>`; here every type
// alias that refers to an imported package is written out as the plain type it stands for, and
// the zod schema constants beside it (internal: index.ts exports none of them) are dropped.
// A check at the end proves each written type equal to the source's, both ways.
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const types = join(root, "dist/types");
const options = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, skipLibCheck: false, types: ["node"] };

const program = ts.createProgram([join(types, "index.d.ts")], options);
const checker = program.getTypeChecker();
const reached = program.getSourceFiles().filter((f) => f.fileName.startsWith(`${types}/`));

// 1. Only what index.d.ts reaches ships.
const keep = new Set(reached.map((f) => f.fileName));
for (const f of readdirSync(types, { recursive: true, encoding: "utf8" })) {
  const p = join(types, f);
  if (f.endsWith(".d.ts") && !keep.has(p)) rmSync(p);
}
removeEmptyDirs(types);

// 2. Type aliases over another package's types, written out.
const external = (s) => !s.startsWith(".") && !s.startsWith("node:");
const rewritten = [];
for (const file of reached) {
  const imports = file.statements.filter((s) => ts.isImportDeclaration(s) && external(s.moduleSpecifier.text));
  if (imports.length === 0) continue;
  const names = new Set(imports.flatMap(importedNames));
  const usesExternal = (node) => {
    let found = false;
    const visit = (n) => {
      if (found) return;
      if (ts.isIdentifier(n) && names.has(n.text)) found = true;
      else ts.forEachChild(n, visit);
    };
    visit(node);
    return found;
  };
  let out = "";
  for (const s of file.statements) {
    if (imports.includes(s)) continue;
    if (ts.isTypeAliasDeclaration(s) && usesExternal(s)) {
      const t = checker.getTypeAtLocation(s.name);
      out += `${leadingComments(file, s)}export type ${s.name.text} = ${print(t, 0)};\n`;
      rewritten.push([file.fileName, s.name.text]);
    } else if (usesExternal(s)) {
      // A schema constant: nothing the library exports names it (checked below by compiling).
      continue;
    } else {
      out += `${file.text.slice(s.getFullStart(), s.getEnd()).replace(/^\n+/, "")}\n`;
    }
  }
  writeFileSync(file.fileName, out);
}

// 3. The shipped declarations compile on their own (no other package), and each written type is
//    the source's type, both ways.
const check = join(types, "__check.ts");
const lines = rewritten.map(([f, name], i) => {
  const shipped = `./${relative(types, f).replace(/\.d\.ts$/, ".js")}`;
  const source = `../../src/${relative(types, f).replace(/\.d\.ts$/, ".js")}`;
  return `type S${i} = import("${source}").${name}; type D${i} = import("${shipped}").${name};\nexport const a${i} = (x: S${i}): D${i} => x; export const b${i} = (x: D${i}): S${i} => x;`;
});
writeFileSync(check, lines.join("\n") + "\n");
try {
  const shippedOnly = ts.createProgram([join(types, "index.d.ts")], options);
  const same = ts.createProgram([check], { ...options, allowImportingTsExtensions: false });
  const problems = [...ts.getPreEmitDiagnostics(shippedOnly), ...ts.getPreEmitDiagnostics(same)];
  const strays = shippedOnly.getSourceFiles().filter((f) => f.fileName.startsWith(`${types}/`)).flatMap((f) => f.statements.filter((s) => ts.isImportDeclaration(s) && external(s.moduleSpecifier.text)).map((s) => `${relative(root, f.fileName)} imports ${s.moduleSpecifier.text}`));
  if (problems.length || strays.length) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
    throw new Error(`scripts/types.mjs: the shipped declarations need another package or differ from the source's types:\n${strays.join("\n")}\n${ts.formatDiagnostics(problems, host)}`);
  }
} finally {
  rmSync(check, { force: true });
}

function importedNames(decl) {
  const c = decl.importClause;
  if (!c) return [];
  const out = c.name ? [c.name.text] : [];
  const b = c.namedBindings;
  if (b && ts.isNamespaceImport(b)) out.push(b.name.text);
  else if (b) out.push(...b.elements.map((e) => e.name.text));
  return out;
}

function leadingComments(file, node) {
  const ranges = ts.getLeadingCommentRanges(file.text, node.getFullStart()) ?? [];
  return ranges.map((r) => `${file.text.slice(r.pos, r.end)}\n`).join("");
}

/** A type as plain TypeScript: objects, arrays, tuples, unions, literals and primitives only; depth is the object nesting (indent). */
function print(t, depth) {
  if (depth > 40) throw new Error("scripts/types.mjs: a type nested deeper than 40 (recursive?)");
  const f = t.flags;
  if (f & ts.TypeFlags.Any) return "any";
  if (f & ts.TypeFlags.Unknown) return "unknown";
  if (f & ts.TypeFlags.Never) return "never";
  if (f & ts.TypeFlags.String) return "string";
  if (f & ts.TypeFlags.Number) return "number";
  if (f & ts.TypeFlags.Boolean) return "boolean";
  if (f & ts.TypeFlags.Undefined) return "undefined";
  if (f & ts.TypeFlags.Null) return "null";
  if (f & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral | ts.TypeFlags.BooleanLiteral)) return checker.typeToString(t);
  if (t.isUnion()) return unionText(t.types, depth);
  if (t.isIntersection()) return t.types.map((x) => operand(x, depth)).join(" & ");
  if (checker.isTupleType(t)) return `[${checker.getTypeArguments(t).map((x) => print(x, depth)).join(", ")}]`;
  if (checker.isArrayType(t)) return `${operand(checker.getTypeArguments(t)[0], depth)}[]`;
  if (f & ts.TypeFlags.Object) {
    if (checker.getSignaturesOfType(t, ts.SignatureKind.Call).length || checker.getSignaturesOfType(t, ts.SignatureKind.Construct).length) {
      throw new Error(`scripts/types.mjs: cannot write out a function type (${checker.typeToString(t)})`);
    }
    const pad = "    ".repeat(depth + 1);
    const members = [];
    for (const info of checker.getIndexInfosOfType(t)) members.push(`${pad}${info.isReadonly ? "readonly " : ""}[key: ${checker.typeToString(info.keyType)}]: ${print(info.type, depth + 1)};`);
    for (const p of checker.getPropertiesOfType(t)) {
      const optional = p.flags & ts.SymbolFlags.Optional ? "?" : "";
      const key = /^[A-Za-z_$][\w$]*$/.test(p.name) ? p.name : JSON.stringify(p.name);
      members.push(`${pad}${key}${optional}: ${print(checker.getTypeOfSymbol(p), depth + 1)};`);
    }
    return members.length ? `{\n${members.join("\n")}\n${"    ".repeat(depth)}}` : "{}";
  }
  throw new Error(`scripts/types.mjs: cannot write out ${checker.typeToString(t)} (flags ${f})`);
}

/** `true | false` is written `boolean`, and undefined and null come last, as TypeScript shows them. */
function unionText(members, depth) {
  const bools = members.filter((m) => m.flags & ts.TypeFlags.BooleanLiteral);
  const last = (m) => (m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null) ? 1 : 0);
  const rest = members.filter((m) => !(m.flags & ts.TypeFlags.BooleanLiteral)).sort((a, b) => last(a) - last(b));
  const parts = rest.filter((m) => !last(m)).map((m) => operand(m, depth));
  if (bools.length === 2) parts.push("boolean");
  else parts.push(...bools.map((b) => checker.typeToString(b)));
  parts.push(...rest.filter(last).map((m) => print(m, depth)));
  return parts.join(" | ");
}

/** A member of a union, an intersection or an array: in parentheses when it is itself a union or intersection. */
function operand(t, depth) {
  const text = print(t, depth);
  const compound = t.isIntersection() || (t.isUnion() && !(t.types.length === 2 && t.types.every((m) => m.flags & ts.TypeFlags.BooleanLiteral)));
  return compound ? `(${text})` : text;
}

function removeEmptyDirs(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeEmptyDirs(join(dir, e.name));
  if (dir !== types && readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
}
