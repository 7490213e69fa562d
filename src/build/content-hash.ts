// The image tag is a hash of everything the build reads and what it builds for: the Dockerfile's
// text, every file of the context (path, executable bit, content) and the target platform. Same
// inputs and platform, same tag, so a tag the registry already has names exactly the image that
// would be built, for the architecture that will run it. Pure.
import { createHash } from "node:crypto";

export interface ContextFile {
  /** Context-relative, `/`-separated. */
  path: string;
  executable: boolean;
  /** sha256 of the content (of the link target for a symlink). */
  sha256: string;
  /** For "the biggest files" in messages. */
  size: number;
}

export const TAG_PREFIX = "sha-";

export function contentTag(dockerfileText: string, files: readonly ContextFile[], platform: string): string {
  const h = createHash("sha256");
  // Length-prefixed fields: no two different inputs serialise to the same bytes.
  const field = (s: string) => h.update(`${Buffer.byteLength(s)}:${s}\n`);
  // v2: the platform joined the inputs; every v1 tag was built for an unknown architecture.
  field("incluster-build-v2");
  field(platform);
  field(dockerfileText);
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    field(f.path);
    field(f.executable ? "x" : "-");
    field(f.sha256);
  }
  return TAG_PREFIX + h.digest("hex").slice(0, 16);
}
