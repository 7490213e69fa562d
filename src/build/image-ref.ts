// Image references split the way engines split them, and the registry's HTTP endpoint. Pure.

export interface ImageRef {
  /** Registry host[:port]; docker.io for references without one. */
  host: string;
  /** Repository path inside the registry, e.g. incluster/test-smoke-e2e. */
  name: string;
  tag: string;
}

export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf("@");
  const noDigest = at === -1 ? ref : ref.slice(0, at);
  const slash = noDigest.indexOf("/");
  const first = slash === -1 ? "" : noDigest.slice(0, slash);
  // Like the engines: the first segment is a registry if it has a dot or a port, or is localhost.
  const hasHost = first !== "" && (first.includes(".") || first.includes(":") || first === "localhost");
  const host = hasHost ? first : "docker.io";
  let rest = hasHost ? noDigest.slice(slash + 1) : noDigest;
  const colon = rest.lastIndexOf(":");
  const tag = colon > rest.lastIndexOf("/") ? rest.slice(colon + 1) : "latest";
  if (colon > rest.lastIndexOf("/")) rest = rest.slice(0, colon);
  if (host === "docker.io" && !rest.includes("/")) rest = `library/${rest}`;
  return { host, name: rest, tag };
}

/** Loopback registries speak plain HTTP unless told otherwise (docker and podman assume the same). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/:\d+$/, "");
  return h === "localhost" || h === "127.0.0.1" || h === "[::1]" || h === "::1";
}

export function manifestUrl(r: ImageRef, insecure: boolean): string {
  const host = r.host === "docker.io" ? "registry-1.docker.io" : r.host;
  return `${insecure ? "http" : "https"}://${host}/v2/${r.name}/manifests/${encodeURIComponent(r.tag)}`;
}

// Without these the registry answers 404 for OCI manifests and manifest lists it does hold.
export const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
].join(", ");
