// The clone-repo init container's script. Unlike the guide's it never falls back to another
// branch and never discards git's stderr: a missing ref fails the pod with a message naming it.
// It runs as uid 1000 (restricted profile), so there is no chown step: the emptyDir is group
// 1000 through fsGroup. URL, ref and commit arrive as environment variables, never spliced
// into the script, so no value can change what the script does.

export const CLONE_SCRIPT = `set -eu
# /workspace is the emptyDir's root, owned by root: git calls that "dubious ownership" unless told.
git config --global --add safe.directory /workspace
if [ -n "\${GIT_COMMIT:-}" ]; then
  echo "Fetching commit $GIT_COMMIT from $GIT_URL"
  git init -q /workspace
  git -C /workspace remote add origin "$GIT_URL"
  if ! git -C /workspace fetch --depth 1 origin "$GIT_COMMIT"; then
    echo "error: could not fetch commit $GIT_COMMIT from $GIT_URL; is it pushed?" >&2
    exit 1
  fi
  git -C /workspace checkout -q --detach FETCH_HEAD
else
  echo "Cloning $GIT_URL at ref $GIT_REF"
  if ! git clone --depth 1 --branch "$GIT_REF" "$GIT_URL" /workspace; then
    echo "error: could not clone ref \\"$GIT_REF\\" from $GIT_URL; check that the branch or tag exists there and is pushed" >&2
    exit 1
  fi
fi
echo "Checked out $(git -C /workspace rev-parse --short HEAD)"
`;
