// How many artifact copies run at once. Each copy is one pods/exec WebSocket: a connection of its
// own to the API server beside the run's one HTTP/2 connection (kube/link.ts), so the limit keeps
// a run at most 1 + limit connections however many suites end together. A copy waits for a slot
// (run/pod-output.ts), never the verdict: the suite's verdict is said (suite.decided) before its
// copy is queued. Copies a retry waits for (a failed attempt's JUnit names the tests to rerun)
// go before the others.
import { clip } from "../echo.js";
import { UsageError } from "../errors.js";
import { Limiter } from "../limiter.js";

export const DEFAULT_COPY_CONCURRENCY = 4;
export const COPY_CONCURRENCY_ENV = "INCLUSTER_COPY_CONCURRENCY";

/** Queue order of copies: a higher one goes first. */
export const COPY_PRIORITY = {
  /** The next attempt is decided from this copy's JUnit. */
  decision: 1,
  /** Everything else: the results and artifacts of a suite whose verdict is out. */
  bulk: 0,
} as const;

/** The copy limit: the caller's number, else INCLUSTER_COPY_CONCURRENCY, else 4; anything but a whole number ≥ 1 is a usage error. */
export function copyConcurrencyOf(option: number | undefined, env: Readonly<Record<string, string | undefined>>): number {
  if (option !== undefined) {
    if (Number.isInteger(option) && option >= 1) return option;
    throw new UsageError(`copyConcurrency: expected a whole number of at least 1, got ${JSON.stringify(option)}`);
  }
  const raw = env[COPY_CONCURRENCY_ENV];
  if (raw === undefined || raw === "") return DEFAULT_COPY_CONCURRENCY;
  if (/^[1-9][0-9]{0,5}$/.test(raw.trim())) return Number(raw.trim());
  throw new UsageError(`${COPY_CONCURRENCY_ENV}: expected a whole number of at least 1, got ${JSON.stringify(clip(raw))}`, [
    `set ${COPY_CONCURRENCY_ENV} to how many artifact copies may run at once (default ${DEFAULT_COPY_CONCURRENCY}), or unset it`,
  ]);
}

/** The run's copy slots. */
export function copySlots(limit: number | undefined): Limiter {
  return new Limiter(limit ?? DEFAULT_COPY_CONCURRENCY);
}
