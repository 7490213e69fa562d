// "Did you mean": the nearest known name to a mistyped one (Damerau–Levenshtein distance, one
// transposition counts once). Pure; used for suite names and, in diagnose/, Service names.

/** Edits (insert, delete, substitute, swap neighbours) between a and b. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      let v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, ((d[i - 2] as number[])[j - 2] ?? 0) + 1);
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] ?? 0;
}

/** The closest candidate within a third of the name's length (at least 2 edits), else undefined. */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const dist = editDistance(name, c);
    if (dist <= limit && (!best || dist < best.d)) best = { c, d: dist };
  }
  return best?.c;
}
