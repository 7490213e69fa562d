// A pod's output into the report: copied out of its collector (collect.ts), once a copy slot is
// free (copy-slots.ts), into a scratch folder of the attempt's report folder, then taken in (artifacts/, and the complete log copy in place
// of the streamed log) with the suite's JUnit read from it, or dropped (a copy taken again).
// Without pods/exec, the archive the collector printed in its log, taken in the same way.
import { suiteReport } from "../config/report.js";
import { join } from "node:path";
import type { ResolvedSuite } from "../config/resolve.js";
import { TEST_CONTAINER } from "../names.js";
import type { TestCase } from "../results/model.js";
import { ARTIFACTS_LIMIT_BYTES, collectOutput, unpackArchive } from "./collect.js";
import type { Collected, CollectOptions } from "./collect.js";
import type { RunContext } from "./context.js";
import { COPY_PRIORITY } from "./copy-slots.js";

/** A pod's output, copied out: a way to take it into the report, or to drop it (a copy taken again). */
export interface Fetched {
  take(): Promise<CollectOutcome>;
  discard(): void;
  /** How long the copy waited for a slot before it began, and how long it then took. */
  waitedMs: number;
  copyMs: number;
}

/** A copy still waiting for its slot when the run was interrupted: it never began. */
const NOT_BEGUN: Collected = {
  files: 0,
  bytes: 0,
  dropped: [],
  logComplete: false,
  logLines: 0,
  error: { message: "the run was interrupted before this copy's turn" },
};

export interface CollectOutcome {
  artifactsDir?: string;
  files: number;
  bytes: number;
  dropped: string[];
  /** The limit that applied. */
  limitBytes: number;
  /** Lines the live follow delivered, and lines in the pod's own copy (when it came back). */
  streamedLines: number;
  copyLines?: number;
  error?: string;
  /** The test cases of the suite's JUnit, when it wrote one. */
  tests?: TestCase[];
  /** Why the JUnit could not be read (malformed XML). */
  junitProblem?: string;
}

/**
 * Copies the pod's artifacts and complete log out of its collector now (while it still runs);
 * the returned value takes them into the report folder `key` (once the pod's log followers are
 * done) and reads the suite's JUnit. `onLogCopy`: called at the log copy's start with its size,
 * may return a sink that takes its bytes as they stream in.
 */
export async function copyOut(
  ctx: RunContext,
  key: string,
  pod: string,
  suite: ResolvedSuite,
  onLogCopy?: CollectOptions["onLogCopy"],
  priority: number = COPY_PRIORITY.bulk,
): Promise<Fetched> {
  const scratch = ctx.files.scratchDir(key);
  const limit = ctx.artifactsLimitBytes !== undefined ? { limitBytes: ctx.artifactsLimitBytes } : {};
  const asked = ctx.now();
  // One slot per copy (one exec: the tar, then our answer on its stdin): at most the limit of connections.
  const slot = await ctx.copies.acquire({ priority, signal: ctx.signal });
  const began = ctx.now();
  let c = NOT_BEGUN;
  if (slot) {
    try {
      c = await collectOutput(ctx.port, { namespace: ctx.namespace, pod, dest: scratch, ...limit, ...(onLogCopy ? { onLogCopy } : {}) });
    } finally {
      slot.release();
    }
  }
  const times = { waitedMs: began - asked, copyMs: ctx.now() - began };
  return { take: () => adopt(ctx, key, suite, scratch, c, pod), discard: () => ctx.files.discardScratch(scratch), ...times };
}

/** Without pods/exec: takes the artifacts the collector printed (a gzipped tar) into folder `key`. */
export async function fromLogArchive(ctx: RunContext, key: string, suite: ResolvedSuite, archive: Buffer): Promise<CollectOutcome> {
  const scratch = ctx.files.scratchDir(key);
  return adopt(ctx, key, suite, scratch, await unpackArchive(archive, scratch));
}

/** A collected folder into the report (artifacts/, the complete log copy) and the suite's JUnit read from it. */
async function adopt(ctx: RunContext, key: string, suite: ResolvedSuite, scratch: string, c: Collected, pod?: string): Promise<CollectOutcome> {
  const adopted = await ctx.files.adoptCollected(key, TEST_CONTAINER, scratch, pod, c.logComplete ? c.logLines : undefined);
  const report = suiteReport(suite);
  const junit = report && adopted.artifactsPath ? ctx.readJunit(join(adopted.artifactsPath, report.file), report.reader) : undefined;
  const forbidden = (message: string) => `pods/exec is forbidden (${message}); grant "get" and "create" on pods/exec to collect artifacts`;
  return {
    ...(adopted.artifactsDir && c.files ? { artifactsDir: adopted.artifactsDir } : {}),
    files: c.files,
    bytes: c.bytes,
    dropped: c.dropped,
    limitBytes: ctx.artifactsLimitBytes ?? ARTIFACTS_LIMIT_BYTES,
    streamedLines: adopted.streamedLines,
    ...(adopted.copyLines !== undefined ? { copyLines: adopted.copyLines } : {}),
    ...(junit?.tests.length ? { tests: junit.tests } : {}),
    ...(junit?.problem ? { junitProblem: junit.problem } : {}),
    ...(c.error ? { error: c.error.status === 403 ? forbidden(c.error.message) : c.error.message } : {}),
  };
}
