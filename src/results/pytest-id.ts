// pytest node ids back from its JUnit. pytest writes a test `tests/e2e/test_x.py::TestC::test_y[p]`
// as classname `tests.e2e.test_x.TestC` and name `test_y[p]` (junitxml's mangle_test_address), and
// with `-o junit_family=xunit1` also `file="tests/e2e/test_x.py"` and a 0-based `line`.

const PY_SUFFIX = ".py";
const NODE_SEP = "::";

/** The node id of one pytest test case; exact with `file`, else derived from the classname. */
export function pytestNodeId(classname: string, name: string, file?: string): { id: string; file?: string } {
  const parts = classname ? classname.split(".") : [];
  if (file) {
    const module = stripSuffix(file, PY_SUFFIX).split("/").join(".");
    const classes = classname === module ? [] : classname.startsWith(`${module}.`) ? classname.slice(module.length + 1).split(".") : trailingClasses(parts);
    return { id: [file, ...classes, name].join(NODE_SEP), file };
  }
  if (parts.length === 0) return { id: name };
  const classes = trailingClasses(parts);
  const modulePath = parts.slice(0, parts.length - classes.length);
  // A classname made only of classes has no module to name (a --junitprefix, or no file at all).
  if (modulePath.length === 0) return { id: [...classes, name].join(NODE_SEP) };
  const derived = `${modulePath.join("/")}${PY_SUFFIX}`;
  return { id: [derived, ...classes, name].join(NODE_SEP), file: derived };
}

/**
 * Classes are the trailing parts that start with an upper-case letter (pytest's default `python_classes = Test*`); a module or
 * folder with a dot in its name needs xunit1's `file`.
 */
function trailingClasses(parts: readonly string[]): string[] {
  let i = parts.length;
  while (i > 0 && isClassName(parts[i - 1] ?? "")) i--;
  return parts.slice(i);
}

function isClassName(part: string): boolean {
  const first = part.charAt(0);
  return first !== "" && first === first.toUpperCase() && first !== first.toLowerCase();
}

function stripSuffix(s: string, suffix: string): string {
  return s.endsWith(suffix) ? s.slice(0, -suffix.length) : s;
}
