// How report.html splits long lists (pure): the first few shown and the rest behind one click that
// says how many, and a long collapsed list cut into pages a browser lays out quickly when opened.

/** The first `shown` items, and the rest (empty when all fit). */
export function firstAndRest<T>(items: readonly T[], shown: number): { first: T[]; rest: T[] } {
  const n = Math.max(0, Math.floor(shown));
  return { first: items.slice(0, n), rest: items.slice(n) };
}

export interface Page {
  /** 1-based, as shown: "tests 1–1000". */
  from: number;
  to: number;
  /** 0-based slice bounds. */
  start: number;
  end: number;
}

/** `total` items as consecutive pages of at most `size` (one page when they fit; none for none). */
export function pages(total: number, size: number): Page[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`page size must be a whole number ≥ 1, got ${size}`);
  const out: Page[] = [];
  for (let start = 0; start < total; start += size) {
    const end = Math.min(start + size, total);
    out.push({ from: start + 1, to: end, start, end });
  }
  return out;
}
