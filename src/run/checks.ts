// One line of the preflight (and of doctor): what was checked, whether it passed, the fix. Its
// own file so the modules that make checks (preflight, platform) share it without a cycle.

export interface PreflightCheck {
  name: string;
  /** Nothing here stops the run (a check that could not be made is ok, and `unchecked`). */
  ok: boolean;
  detail: string;
  fix?: string;
  class?: "unreachable" | "unsupportedCluster" | "namespaceMissing" | "forbidden" | "config" | "containerConfig";
  /** A failed optional check is a warning: the run goes on without what it enables. */
  optional?: boolean;
  /** The check could not be made (no permission to look, no answer): `detail` says why. Never shown as ok. */
  unchecked?: true;
}

/** A check that could not be made: it does not stop the run, and doctor shows it as `?`, never as ok. */
export function uncheckedCheck(name: string, why: string): PreflightCheck {
  return { name, ok: true, unchecked: true, detail: `could not check (${why})` };
}
