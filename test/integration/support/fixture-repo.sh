#!/usr/bin/env bash
# Publishes a fixture folder as a bare repository beside sample-app.git in the test cluster's git
# daemon (test/cluster/gitserver.sh serves every repository under its base path, --export-all):
#   fixture-repo.sh <folder> <name>   →   git://10.244.0.1/<name>.git, branch main
# Deterministic (fixed author and dates): the commit only changes with the files. The swap is a
# rename, so a clone sees the old or the new repository, never half of one.
set -euo pipefail
src="$(cd "$1" && pwd)"
name="$2"
base="${INCLUSTER_CACHE:-$HOME/.cache/incluster}/git"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$base"
tar -C "$src" --exclude=__pycache__ --exclude=.pytest_cache -cf - . | tar -C "$work/src" -xf -
export GIT_CONFIG_NOSYSTEM=1 HOME="$work" GIT_AUTHOR_NAME="incluster tests" GIT_AUTHOR_EMAIL="tests@incluster.local" \
  GIT_COMMITTER_NAME="incluster tests" GIT_COMMITTER_EMAIL="tests@incluster.local" \
  GIT_AUTHOR_DATE="2026-12-07T00:00:00Z" GIT_COMMITTER_DATE="2026-12-07T00:00:00Z"
git -C "$work/src" init -q -b main .
git -C "$work/src" add -A
git -C "$work/src" commit -q -m "$name: incluster test fixture"
commit="$(git -C "$work/src" rev-parse HEAD)"
current="$(git --git-dir="$base/$name.git" rev-parse -q --verify refs/heads/main 2>/dev/null || true)"
if [[ "$current" != "$commit" ]]; then
  git clone -q --bare --no-local "$work/src" "$work/new.git"
  git --git-dir="$work/new.git" remote remove origin 2>/dev/null || true
  git --git-dir="$work/new.git" config uploadpack.allowAnySHA1InWant true
  rm -rf "$base/$name.git.new" && mv "$work/new.git" "$base/$name.git.new"
  rm -rf "$base/$name.git.old"
  [[ -d "$base/$name.git" ]] && mv "$base/$name.git" "$base/$name.git.old"
  mv "$base/$name.git.new" "$base/$name.git"
  rm -rf "$base/$name.git.old"
fi
echo "$commit"
