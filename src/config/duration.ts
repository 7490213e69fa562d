// Durations as people write them in YAML: 90s, 30m, 1h, 1h30m. Go-style units only (h, m, s),
// each at most once and in that order, so "1h30m" has one meaning and "30m1h" is an error.

/** ECMA-262 pattern shared by the zod schema and the generated JSON Schema. */
export const DURATION_PATTERN = /^(?=\d)(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/**
 * The longest timeout: a year. activeDeadlineSeconds is an int64, but a deadline past a year is a
 * typo, and 1e22h would not even be a whole number the API can read.
 */
export const DURATION_MAX_SECONDS = 365 * 24 * 3600;

/** Seconds in a duration like "1h30m", or undefined when the text is not one (or is zero). */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const [, h = "0", min = "0", s = "0"] = m;
  const seconds = Number(h) * 3600 + Number(min) * 60 + Number(s);
  // A zero timeout would make activeDeadlineSeconds 0, which Kubernetes rejects.
  return seconds > 0 ? seconds : undefined;
}

/** The inverse for messages and help: 5400 -> "1h30m". */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts = [h ? `${h}h` : "", m ? `${m}m` : "", s ? `${s}s` : ""].join("");
  return parts || "0s";
}
