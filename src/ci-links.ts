// The CI run a result belongs to, from the variables GitHub Actions and GitLab CI set. Pure, and a
// leaf (it imports nothing): notify/ links its messages to the run, ci/ its step summary.
export type CiEnv = Readonly<Record<string, string | undefined>>;

/** GitHub's run page (GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID), else GitLab's CI_JOB_URL. */
export function ciRunLink(env: CiEnv): { url: string; label: string } | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = env;
  if (server && repo && id) {
    const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : "";
    return { url: `${server.replace(/\/+$/, "")}/${repo}/actions/runs/${id}${attempt}`, label: "GitHub Actions run" };
  }
  if (env.CI_JOB_URL) return { url: env.CI_JOB_URL, label: "GitLab CI job" };
  return undefined;
}
