/** Whether a suite may have more than one attempt (retries, or new tests' extra runs): its reports go by attempt. */
export function tracksAttempts(suite: { retries?: number; flaky?: { newTests: number } }): boolean {
  return (suite.retries ?? 0) > 0 || (suite.flaky?.newTests ?? 0) > 0;
}

/** The report folder of one attempt of a suite with retries: <suite>/attempt-<n>. */
export function attemptKey(suite: string, attempt: number): string {
  return `${suite}/attempt-${attempt}`;
}

/** The report folder a log line goes to: <suite>[/attempt-<n>][/shard-<i>]. */
export function logKey(suite: string, attempt: number | undefined, shard: number | undefined): string {
  const base = attempt ? attemptKey(suite, attempt) : suite;
  return shard !== undefined ? `${base}/shard-${shard}` : base;
}
