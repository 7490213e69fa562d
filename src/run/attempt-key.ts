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

/**
 * Whether an attempt that ended with this verdict is retried: its tests failed and retries are
 * left. The one rule: retryOf (attempts.ts) decides by it, and a copy the retry waits for (its
 * JUnit names the tests to rerun) goes first in the copy queue (artifacts.ts).
 */
export function retryFollows(v: { verdict: string; class?: string | undefined }, attempt: number, suite: { retries?: number }): boolean {
  return attempt <= (suite.retries ?? 0) && v.verdict === "failed" && v.class === "testsFailed";
}
