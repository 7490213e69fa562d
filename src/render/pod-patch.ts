// podTemplate: the user's strategic-merge patch over the rendered pod template. The merge keys are
// the Kubernetes API's own (k8s.io/api core/v1 types.go, apimachinery's ObjectMeta: the
// patchStrategy/patchMergeKey tags); a list not named here (tolerations, command, args, ...) is
// replaced by the patch's, as kubectl patch does.
import type { PodTemplatePatch } from "../config/pod-fields.js";
import { strategicMerge, type JsonMap, type MergeSchema } from "./strategic-merge.js";
import type { JobObject } from "./objects.js";

const CONTAINER: MergeSchema = {
  ports: { list: "merge", key: "containerPort" },
  env: { list: "merge", key: "name" },
  volumeMounts: { list: "merge", key: "mountPath" },
  volumeDevices: { list: "merge", key: "devicePath" },
};

const POD_SPEC: MergeSchema = {
  volumes: { list: "merge", key: "name" },
  initContainers: { list: "merge", key: "name", of: CONTAINER },
  containers: { list: "merge", key: "name", of: CONTAINER },
  ephemeralContainers: { list: "merge", key: "name", of: CONTAINER },
  imagePullSecrets: { list: "merge", key: "name" },
  hostAliases: { list: "merge", key: "ip" },
  topologySpreadConstraints: { list: "merge", key: "topologyKey" },
  schedulingGates: { list: "merge", key: "name" },
  resourceClaims: { list: "merge", key: "name" },
};

const OBJECT_META: MergeSchema = {
  finalizers: { list: "merge" },
  ownerReferences: { list: "merge", key: "uid" },
};

export const POD_TEMPLATE_SCHEMA: MergeSchema = { metadata: { of: OBJECT_META }, spec: { of: POD_SPEC } };

export type PodTemplate = JobObject["spec"]["template"];

/** The template with the patch applied (a PatchError when it cannot apply; validate reports it first). */
export function applyPodTemplate(template: PodTemplate, patch: PodTemplatePatch | undefined): PodTemplate {
  if (!patch) return template;
  return strategicMerge(template as unknown as JsonMap, patch as JsonMap, POD_TEMPLATE_SCHEMA) as unknown as PodTemplate;
}
