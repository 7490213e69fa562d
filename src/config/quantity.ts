// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): a signed decimal
// number with an optional binary (Ki..Ei), decimal (n, u, m, k, M..E) or exponent suffix.
// No spaces: "512 Mi" is rejected by the API server, so we reject it before it gets there.

export const QUANTITY_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

export function isQuantity(text: string): boolean {
  return QUANTITY_PATTERN.test(text);
}

// Decimal suffixes as powers of ten (parsed as "<n>e<p>", so 1.1k is exactly 1100), binary ones as factors.
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** The largest request or limit accepted: 8Pi (2^53), where numbers stop being exact. */
export const QUANTITY_MAX = 2 ** 53;

/** The value of a quantity in base units (cores, bytes), for comparisons; undefined if it is not one. */
export function parseQuantity(q: string | number): number | undefined {
  if (typeof q === "number") return Number.isFinite(q) ? q : undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+)|([KMGTPE]i|[numkMGTPE]))?$/.exec(q);
  if (!m) return undefined;
  const [, num = "0", exp, suffix = ""] = m;
  const v = exp !== undefined ? Number(`${num}e${exp}`) : suffix in BINARY ? Number(num) * (BINARY[suffix] ?? 1) : Number(`${num}e${DECIMAL[suffix] ?? 0}`);
  return Number.isFinite(v) ? v : undefined;
}
