// A string that holds its own characters. V8 keeps a substring of 13 or more characters as a view
// of its parent string: a test name fast-xml-parser cut out of a JUnit file, or a line split out
// of a log, keeps that whole file's text in memory for as long as it lives. 100 files of 1,000
// tests kept 22 MB of XML alive in the test cases of a run (docs/performance.md, "Results at scale").

/** `s`, copied when it may be a view of a larger string; the same characters either way. */
export function ownString(s: string): string {
  // join writes the characters into one new string; a concatenation, or a slice of one, would
  // still point at the parent.
  return s.length < 13 ? s : [s.slice(0, 1), s.slice(1)].join("");
}

/** Copies of values that repeat from test to test (a class, a file): one copy per distinct value. */
export function sharedStrings(): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    let kept = seen.get(s);
    if (kept === undefined) {
      kept = ownString(s);
      seen.set(kept, kept);
    }
    return kept;
  };
}
