// A thrown value from the port, read as a KubeError (the port rejects with that shape).
import type { KubeError } from "../kube/port.js";

export function toKubeErrorLike(err: unknown): KubeError {
  if (err && typeof err === "object" && "message" in err) return err as KubeError;
  return { message: String(err) };
}
