// The clone-repo container's script. Unlike the guide's it never falls back to another
// branch and never discards git's stderr: a missing ref fails the pod with a message naming it.
// It runs as the pod's uid (1000, or one the platform assigns), so there is no chown step: the
// emptyDir belongs to the pod's fsGroup, and umask 0002 keeps the checkout writable to that group
// (the test container may run as another uid of it). URL, ref and commit arrive as environment variables, never spliced
// into the script, so no value can change what the script does; "--" before the URL keeps one
// that starts with '-' from being read as an option.
import { CLONE_MARKERS, OUT_DIR } from "../names.js";

/** Once the checkout is there the clone prints this, then the commit's short hash: run reads it back (checkedOutCommit). */
export const CHECKED_OUT = "Checked out";
const CHECKED_OUT_LINE = new RegExp(`^${CHECKED_OUT} ([0-9a-f]{7,40})\\b`);

/** The commit a line of the clone's log says it checked out, or undefined for any other line: the report names it. */
export function checkedOutCommit(line: string): string | undefined {
  return CHECKED_OUT_LINE.exec(line)?.[1];
}

// The clone runs beside the tests (not as an init container, which costs a kubelet sync): when
// it ends it leaves a marker the runner waits for, success or its exit code.
const PROLOGUE = `set -eu
umask 0002
trap 'rc=$?; if [ "$rc" = 0 ]; then : > ${OUT_DIR}/${CLONE_MARKERS.ok}; else echo "$rc" > ${OUT_DIR}/${CLONE_MARKERS.failed}; fi' EXIT
`;

const BODY = `# /workspace is the emptyDir's root, owned by root: git calls that "dubious ownership" unless told.
git config --global --add safe.directory /workspace
if [ -n "\${GIT_COMMIT:-}" ]; then
  echo "Fetching commit $GIT_COMMIT from $GIT_URL"
  git init -q /workspace
  git -C /workspace remote add -- origin "$GIT_URL"
  if ! git -C /workspace fetch --depth 1 origin "$GIT_COMMIT"; then
    echo "error: could not fetch commit $GIT_COMMIT from $GIT_URL; is it pushed?" >&2
    exit 1
  fi
  git -C /workspace checkout -q --detach FETCH_HEAD
else
  echo "Cloning $GIT_URL at ref $GIT_REF"
  if ! git clone --depth 1 --branch "$GIT_REF" -- "$GIT_URL" /workspace; then
    echo "error: could not clone ref \\"$GIT_REF\\" from $GIT_URL; check that the branch or tag exists there and is pushed" >&2
    exit 1
  fi
fi
echo "${CHECKED_OUT} $(git -C /workspace rev-parse --short HEAD)"
`;

export const CLONE_SCRIPT = PROLOGUE + BODY;

// A private repository: username and token come from a Secret through secretKeyRef, so they are
// in neither the Job spec nor the script; git asks this helper instead of a terminal.
const CREDENTIALS = `if [ -n "\${GIT_PASSWORD:-}" ]; then
  git config --global credential.helper '!f() { test "$1" = get || exit 0; echo "username=\${GIT_USERNAME:-git}"; echo "password=$GIT_PASSWORD"; }; f'
fi
`;

export const OVERLAY_DIR = "/incluster-overlay";

// source: local: the base commit is checked out above; the files that differ in the user's
// working tree arrive as a tar from the run's ConfigMap, deletions as a NUL-separated list.
const OVERLAY = `tar -xzf ${OVERLAY_DIR}/overlay.tar.gz -C /workspace
if [ -s ${OVERLAY_DIR}/deleted ]; then
  (cd /workspace && xargs -0 rm -f -- < ${OVERLAY_DIR}/deleted)
fi
echo "Applied the local overlay: $OVERLAY_FILES file(s) written, $OVERLAY_DELETED deleted"
`;

/** The clone script for a source: plain clone, plus credentials and the local overlay when needed. */
export function cloneScript(o: { credentials: boolean; overlay: boolean }): string {
  return PROLOGUE + (o.credentials ? CREDENTIALS : "") + BODY + (o.overlay ? OVERLAY : "");
}
