// Sizes as people read them, for messages in every stage (a leaf: it imports nothing).

/** 1536 -> "1.5 KiB"; binary units, one decimal. */
export function humanBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
