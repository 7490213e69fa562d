// List, then watch from the list's resourceVersion: the Jobs, Pods and Events of a namespace.
// A watch the server ends (timeoutSeconds) or that breaks closes with its reason; the caller
// (KindWatch) resumes from the last resourceVersion it saw, or lists again after 410 Gone.
import { kubeCall } from "./errors.js";
import type { KubeConnection } from "./connection.js";
import { collectionPath } from "./paths.js";
import type { KindMap, ListResult, Selector, WatchedKind, WatchHandle, WatchHandlers } from "./port.js";
import { openWatch } from "./watch-stream.js";

/** How long the server keeps one watch open before it ends it; we resume from the last resourceVersion. */
export const WATCH_TIMEOUT_SECONDS = "300";

/**
 * The object without metadata.managedFields, which no stage reads. Pure. Every watched Job and
 * Pod is kept by its suite until the next event for it (and the last one until the run ends):
 * at 1,000 suites their managedFields were 262,000 of the heap's 513,000 plain objects (heap
 * snapshot, docs/performance.md), and each event's copy lived long enough to be promoted.
 */
export function slim<T>(obj: T): T {
  const meta = (obj as { metadata?: { managedFields?: unknown } } | undefined)?.metadata;
  if (!meta || meta.managedFields === undefined) return obj;
  const { managedFields: _dropped, ...rest } = meta;
  return { ...obj, metadata: rest };
}

export function listKind<K extends WatchedKind>(
  conn: Pick<KubeConnection, "core" | "batch">,
  kind: K,
  namespace: string,
  selector: Selector,
): Promise<ListResult<KindMap[K]>> {
  return kubeCall(async () => {
    const q = { namespace, ...selector };
    const { core, batch } = conn;
    const res = kind === "jobs" ? await batch.listNamespacedJob(q) : kind === "pods" ? await core.listNamespacedPod(q) : await core.listNamespacedEvent(q);
    return { items: (res.items as unknown as KindMap[K][]).map(slim), resourceVersion: res.metadata?.resourceVersion ?? "" };
  });
}

/** The watch's query: from `resourceVersion`, with bookmarks, ended by the server now and then. Pure. */
export function watchQuery(selector: Selector, resourceVersion: string): Record<string, string> {
  return {
    resourceVersion,
    allowWatchBookmarks: "true",
    // Ask the server to end the watch now and then; we resume from the last resourceVersion.
    timeoutSeconds: WATCH_TIMEOUT_SECONDS,
    ...(selector.labelSelector ? { labelSelector: selector.labelSelector } : {}),
    ...(selector.fieldSelector ? { fieldSelector: selector.fieldSelector } : {}),
  };
}

export function watchKind<K extends WatchedKind>(
  conn: Pick<KubeConnection, "transport">,
  kind: K,
  namespace: string,
  selector: Selector,
  resourceVersion: string,
  handlers: WatchHandlers<KindMap[K]>,
): WatchHandle {
  return openWatch(conn.transport, collectionPath(kind, namespace), watchQuery(selector, resourceVersion), {
    onEvent: (type, obj) => handlers.onEvent(type as "ADDED", slim(obj as KindMap[K])),
    onClose: (err) => handlers.onClose(err),
  });
}
