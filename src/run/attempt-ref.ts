// What the driver of one attempt (suite-run.ts) hands the modules it calls (suite-logs.ts,
// artifacts.ts): which attempt of which suite they work for and its report folder, and the
// reducer's latest state, kept in one place that only the driver writes.
import type { ResolvedSuite } from "../config/resolve.js";
import { shardIndexOf } from "../diagnose/shards.js";
import type { Pod } from "../k8s-types.js";
import type { SuiteState } from "./suite-state.js";

/** Which attempt of which suite, and its report folder: <suite> or <suite>/attempt-<n>. */
export interface AttemptRef {
  suite: ResolvedSuite;
  attempt: number;
  /** The suite has retries: each attempt's files go to <suite>/attempt-<n>/ and events carry the attempt. */
  tracked: boolean;
  key: string;
}

/** The reducer's latest state, written by the driver with every step (the one place it is kept), read by the modules it calls. */
export interface SuiteView {
  state: SuiteState;
}

/** A sharded suite's pod: its completion index. */
export function shardOf(suite: ResolvedSuite, pod: Pod | undefined): number | undefined {
  return (suite.shards ?? 1) > 1 && pod ? shardIndexOf(pod) : undefined;
}
