/** The report folder of one attempt of a suite with retries: <suite>/attempt-<n>. */
export function attemptKey(suite: string, attempt: number): string {
  return `${suite}/attempt-${attempt}`;
}

/** The report folder a log line goes to: <suite>[/attempt-<n>][/shard-<i>]. */
export function logKey(suite: string, attempt: number | undefined, shard: number | undefined): string {
  const base = attempt ? attemptKey(suite, attempt) : suite;
  return shard !== undefined ? `${base}/shard-${shard}` : base;
}
