# shellcheck shell=bash
# Source this file to run podman/buildah with the project's settings:
#   . test/cluster/images/podman-env.sh && podman images
# Sets CONTAINERS_CONF (runc, ulimits, host network), CONTAINERS_REGISTRIES_CONF
# (127.0.0.1:5000 insecure, no unqualified search) and CONTAINERS_STORAGE_CONF
# (image storage under the cache dir, so it is shared by all checkouts and is
# never inside the repository). Safe to source more than once.
_incluster_images_dir="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd)"
export INCLUSTER_CACHE="${INCLUSTER_CACHE:-$HOME/.cache/incluster}"
export CONTAINERS_CONF="$_incluster_images_dir/containers.conf"
export CONTAINERS_REGISTRIES_CONF="$_incluster_images_dir/registries.conf"
# storage.conf cannot expand variables, so it is generated with the resolved
# cache path (rewritten only when its content changes).
_incluster_podman_dir="$INCLUSTER_CACHE/podman"
mkdir -p "$_incluster_podman_dir"
_incluster_storage_conf="[storage]
driver = \"overlay\"
graphroot = \"$_incluster_podman_dir/storage\"
runroot = \"$_incluster_podman_dir/runroot\"
"
if [ ! -f "$_incluster_podman_dir/storage.conf" ] ||
   [ "$(cat "$_incluster_podman_dir/storage.conf")" != "$(printf '%s' "$_incluster_storage_conf")" ]; then
  printf '%s' "$_incluster_storage_conf" >"$_incluster_podman_dir/storage.conf"
fi
export CONTAINERS_STORAGE_CONF="$_incluster_podman_dir/storage.conf"
export INCLUSTER_REGISTRY="${INCLUSTER_REGISTRY:-127.0.0.1:5000}"
unset _incluster_images_dir _incluster_podman_dir _incluster_storage_conf
