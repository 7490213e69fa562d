// The project's podman settings (runc, storage, insecure 127.0.0.1:5000 only), as a user would
// have them after sourcing test/cluster/images/podman-env.sh.
import { execFileSync } from "node:child_process";
import { ROOT } from "./cli.js";

export function loadPodmanEnv(): Record<string, string> {
  const out = execFileSync("bash", ["-c", `. "${ROOT}/test/cluster/images/podman-env.sh" && env -0`], { encoding: "utf8" });
  const env: Record<string, string> = {};
  for (const kv of out.split("\0")) {
    const i = kv.indexOf("=");
    if (i > 0 && /^(CONTAINERS_|INCLUSTER_CACHE)/.test(kv.slice(0, i))) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return env;
}
