// The Kubernetes client's values incluster uses (types may be imported from the package directly).
// Every heavy npm package is reached through a file in src/vendor/: the library bundle inlines it,
// the CLI's bundle loads it as dist/vendor/<file>.cjs only when a command needs it, so the CLI's
// own file stays small enough to start from a code cache (scripts/bundle.mjs, docs/performance.md).
export {
  ApisApi,
  AuthorizationV1Api,
  BatchV1Api,
  CoreV1Api,
  RbacAuthorizationV1Api,
  Exec,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  VersionApi,
  ResponseContext,
  ServerConfiguration,
  createConfiguration,
  wrapHttpLibrary,
} from "@kubernetes/client-node";
