// The guide's two folders, in a module of their own so `incluster import --help` needs nothing else.
export const JOBS_DIR = "jobs";
export const MANIFEST_DIR = "deploy/k8s";
