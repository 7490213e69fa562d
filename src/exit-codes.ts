// The exit codes are API: scripts and CI branch on them. README's table mirrors this object.
export const ExitCode = {
  ok: 0,
  testsFailed: 1,
  usage: 2,
  couldNotRun: 3,
  timedOut: 4,
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** With several suites the worst outcome wins: interrupted > timed out > could not run > failed > ok. */
export function worstExitCode(codes: readonly ExitCode[]): ExitCode {
  const rank: readonly ExitCode[] = [ExitCode.ok, ExitCode.testsFailed, ExitCode.couldNotRun, ExitCode.timedOut, ExitCode.usage, ExitCode.interrupted];
  let worst: ExitCode = ExitCode.ok;
  for (const c of codes) if (rank.indexOf(c) > rank.indexOf(worst)) worst = c;
  return worst;
}
