// tar's extract, for the artifact copy, and its parser, to read the log copy as it streams in
// (see kube.ts for why vendor/ exists).
export { x, Parser } from "tar";
export type { ReadEntry } from "tar";
