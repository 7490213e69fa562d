// tar's extract, for the artifact copy (see kube.ts for why vendor/ exists).
export { x } from "tar";
