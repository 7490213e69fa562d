// The few fields of Kubernetes objects incluster reads. Declared here, not imported from the
// client, so pure stages (diagnose, report, run's decisions) never depend on src/kube/.
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  creationTimestamp?: string | Date;
  deletionTimestamp?: string | Date;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string | Date;
}

export interface Job extends KubeObject {
  /** A sharded suite's Job is Indexed, one completion per shard (render/job.ts). */
  spec?: { activeDeadlineSeconds?: number; backoffLimit?: number; completionMode?: "NonIndexed" | "Indexed"; completions?: number };
  status?: {
    active?: number;
    succeeded?: number;
    failed?: number;
    startTime?: string | Date;
    completionTime?: string | Date;
    conditions?: Condition[];
  };
}

export interface ContainerStateTerminated {
  exitCode: number;
  reason?: string;
  message?: string;
  startedAt?: string | Date;
  finishedAt?: string | Date;
}

export interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  image?: string;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: { startedAt?: string | Date };
    terminated?: ContainerStateTerminated;
  };
}

export interface Pod extends KubeObject {
  spec?: { nodeName?: string; initContainers?: { name: string }[]; containers?: { name: string }[] };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: Condition[];
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
    startTime?: string | Date;
  };
}

export interface KubeEvent extends KubeObject {
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | Date;
  lastTimestamp?: string | Date;
  eventTime?: string | Date;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK";
