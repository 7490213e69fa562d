/** The report folder of one attempt of a suite with retries: <suite>/attempt-<n>. */
export function attemptKey(suite: string, attempt: number): string {
  return `${suite}/attempt-${attempt}`;
}
