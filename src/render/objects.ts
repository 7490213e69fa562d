// The shapes of the objects render writes: only the fields we set, as plain data, so render
// stays independent of the Kubernetes client (src/k8s-types.ts holds the fields we read).

export interface Metadata {
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type: string; localhostProfile?: string };
  procMount?: string;
  seLinuxOptions?: { type?: string; user?: string; role?: string; level?: string };
  appArmorProfile?: { type: string; localhostProfile?: string };
  windowsOptions?: { hostProcess?: boolean };
}

export interface PodSecurityContext
  extends Omit<SecurityContext, "allowPrivilegeEscalation" | "privileged" | "readOnlyRootFilesystem" | "capabilities" | "procMount"> {
  fsGroup?: number;
  sysctls?: { name: string; value: string }[];
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?:
    | { secretKeyRef: { name: string; key: string; optional?: boolean } }
    | { configMapKeyRef: { name: string; key: string; optional?: boolean } }
    | { fieldRef: { fieldPath: string } };
}

export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: "Always" | "IfNotPresent" | "Never";
  /** Always on an init container: a native sidecar. */
  restartPolicy?: "Always";
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: ({ secretRef: { name: string }; prefix?: string } | { configMapRef: { name: string }; prefix?: string })[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  ports?: { containerPort: number; hostPort?: number }[];
  securityContext?: SecurityContext;
}

/** Volume sources are open-ended; the restricted check looks at which keys are present. */
export type Volume = { name: string } & Record<string, unknown>;

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  imagePullSecrets?: { name: string }[];
  priorityClassName?: string;
  runtimeClassName?: string;
  hostAliases?: { ip: string; hostnames?: string[] }[];
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: { name: string; value?: string }[] };
  restartPolicy?: "Never" | "OnFailure" | "Always";
  terminationGracePeriodSeconds?: number;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: PodSecurityContext;
  initContainers?: Container[];
  containers: Container[];
  ephemeralContainers?: Container[];
  volumes?: Volume[];
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number }[];
  affinity?: Record<string, unknown>;
}

export interface JobObject {
  apiVersion: "batch/v1";
  kind: "Job";
  metadata: Metadata;
  spec: {
    ttlSecondsAfterFinished: number;
    activeDeadlineSeconds: number;
    backoffLimit?: number;
    completionMode?: "Indexed";
    completions?: number;
    parallelism?: number;
    backoffLimitPerIndex?: number;
    podFailurePolicy: { rules: { action: "Ignore" | "FailJob" | "Count"; onPodConditions: { type: string }[] }[] };
    template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };
  };
}

export interface ServiceAccountObject {
  apiVersion: "v1";
  kind: "ServiceAccount";
  metadata: Metadata;
  automountServiceAccountToken?: boolean;
}

export interface RoleObject {
  apiVersion: "rbac.authorization.k8s.io/v1";
  kind: "Role";
  metadata: Metadata;
  rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
}

export interface RoleBindingObject {
  apiVersion: "rbac.authorization.k8s.io/v1";
  kind: "RoleBinding";
  metadata: Metadata;
  roleRef: { apiGroup: "rbac.authorization.k8s.io"; kind: "Role"; name: string };
  subjects: { kind: "ServiceAccount"; name: string; namespace: string }[];
}

export interface ConfigMapObject {
  apiVersion: "v1";
  kind: "ConfigMap";
  metadata: Metadata;
  /** base64 values, as the API takes them. */
  binaryData: Record<string, string>;
}

/**
 * Everything one suite needs. Role and RoleBinding are absent when kubernetesAccess is false; all
 * three when the suite runs as an existing ServiceAccount (serviceAccount.name).
 */
export interface SuiteObjects {
  serviceAccount?: ServiceAccountObject;
  role?: RoleObject;
  roleBinding?: RoleBindingObject;
  /** source: local: the run's overlay, created before the Job and then owned by it. */
  overlay?: ConfigMapObject;
  job: JobObject;
}
