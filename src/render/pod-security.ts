// The Pod Security Standards' "restricted" profile (baseline + restricted rules) as a pure check,
// https://kubernetes.io/docs/concepts/security/pod-security-standards/ . Tests run every rendered
// pod through it; admission on the real cluster is the final proof.
import type { Container, PodSpec } from "./objects.js";

const ALLOWED_VOLUME_SOURCES = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]);
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);
const ALLOWED_SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);

/** Every rule of the restricted profile the pod breaks, each naming the field; empty when it passes. */
export function restrictedViolations(pod: PodSpec): string[] {
  const v: string[] = [];
  const psc = pod.securityContext ?? {};
  if (pod.hostNetwork) v.push("spec.hostNetwork must not be true");
  if (pod.hostPID) v.push("spec.hostPID must not be true");
  if (pod.hostIPC) v.push("spec.hostIPC must not be true");
  if (psc.windowsOptions?.hostProcess) v.push("spec.securityContext.windowsOptions.hostProcess must not be true");
  for (const s of psc.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) v.push(`spec.securityContext.sysctls: ${s.name} is not a safe sysctl`);
  checkSeLinux(psc.seLinuxOptions, "spec.securityContext", v);
  checkAppArmor(psc.appArmorProfile, "spec.securityContext", v);
  if (psc.runAsUser === 0) v.push("spec.securityContext.runAsUser must not be 0");
  if (psc.seccompProfile && !["RuntimeDefault", "Localhost"].includes(psc.seccompProfile.type)) {
    v.push(`spec.securityContext.seccompProfile.type must be RuntimeDefault or Localhost, got ${psc.seccompProfile.type}`);
  }

  for (const vol of pod.volumes ?? []) {
    const source = Object.keys(vol).find((k) => k !== "name");
    if (source && !ALLOWED_VOLUME_SOURCES.has(source)) v.push(`spec.volumes[${vol.name}]: volume type ${source} is not allowed`);
  }

  const containers: [string, Container[]][] = [
    ["initContainers", pod.initContainers ?? []],
    ["containers", pod.containers],
    ["ephemeralContainers", pod.ephemeralContainers ?? []],
  ];
  for (const [field, list] of containers) {
    for (const c of list) checkContainer(c, `spec.${field}[${c.name}]`, pod, v);
  }
  return v;
}

function checkContainer(c: Container, at: string, pod: PodSpec, v: string[]): void {
  const sc = c.securityContext ?? {};
  const psc = pod.securityContext ?? {};
  if (sc.privileged) v.push(`${at}.securityContext.privileged must not be true`);
  if (sc.windowsOptions?.hostProcess) v.push(`${at}.securityContext.windowsOptions.hostProcess must not be true`);
  if (sc.procMount && sc.procMount !== "Default") v.push(`${at}.securityContext.procMount must be Default`);
  for (const p of c.ports ?? []) if (p.hostPort) v.push(`${at}.ports: hostPort ${p.hostPort} is not allowed`);
  checkSeLinux(sc.seLinuxOptions, `${at}.securityContext`, v);
  checkAppArmor(sc.appArmorProfile, `${at}.securityContext`, v);

  if (sc.allowPrivilegeEscalation !== false) v.push(`${at}.securityContext.allowPrivilegeEscalation must be false`);
  const nonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
  if (nonRoot !== true) v.push(`${at}: runAsNonRoot must be true (in the container or the pod securityContext)`);
  if (sc.runAsUser === 0) v.push(`${at}.securityContext.runAsUser must not be 0`);
  const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
  if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") {
    v.push(`${at}: seccompProfile.type must be RuntimeDefault or Localhost (in the container or the pod securityContext), got ${seccomp ?? "nothing"}`);
  }
  if (!(sc.capabilities?.drop ?? []).includes("ALL")) v.push(`${at}.securityContext.capabilities.drop must include ALL`);
  for (const cap of sc.capabilities?.add ?? []) {
    if (cap !== "NET_BIND_SERVICE") v.push(`${at}.securityContext.capabilities.add: ${cap} is not allowed (only NET_BIND_SERVICE)`);
  }
}

function checkSeLinux(o: { type?: string; user?: string; role?: string } | undefined, at: string, v: string[]): void {
  if (!o) return;
  if (o.type !== undefined && !ALLOWED_SELINUX_TYPES.has(o.type)) v.push(`${at}.seLinuxOptions.type ${o.type} is not allowed`);
  if (o.user) v.push(`${at}.seLinuxOptions.user must not be set`);
  if (o.role) v.push(`${at}.seLinuxOptions.role must not be set`);
}

function checkAppArmor(o: { type: string } | undefined, at: string, v: string[]): void {
  if (o && o.type !== "RuntimeDefault" && o.type !== "Localhost") v.push(`${at}.appArmorProfile.type must be RuntimeDefault or Localhost, got ${o.type}`);
}
