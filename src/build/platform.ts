// The platform suite images are built for (os/arch, as engines and image indexes spell it). It is
// part of the content tag, so an image built on an arm64 laptop is never taken for an amd64
// cluster's. Pure.
import { PLATFORM_EXPECTED, PLATFORM_PATTERN } from "../config/fields.js";

// Node's process.arch -> the OCI/Go architecture name; the rest are spelled the same.
const OCI_ARCH: Readonly<Record<string, string>> = {
  x64: "amd64",
  ia32: "386",
  // Node says ppc64 on little-endian POWER too, the only POWER Linux that images are built for.
  ppc64: "ppc64le",
  mipsel: "mipsle",
};

/** This machine as a build platform: linux/<arch> (containers run Linux even on a Mac). */
export function hostPlatform(arch: string): string {
  return `linux/${OCI_ARCH[arch] ?? arch}`;
}

/** The option (--platform, or the cluster's nodes as run knows them) > image.platform > this machine. */
export function choosePlatform(option: string | undefined, configured: string | undefined, arch: string): string {
  return option ?? configured ?? hostPlatform(arch);
}

/** A message naming `what` when the value is not os/arch[/variant]; undefined when it is. */
export function platformProblem(what: string, value: string): string | undefined {
  return PLATFORM_PATTERN.test(value) ? undefined : `${what}: expected ${PLATFORM_EXPECTED}, got ${JSON.stringify(value)}`;
}
