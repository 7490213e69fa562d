// deploy/k8s/99-test-<suite>-e2e.yaml: the same objects as `incluster render <suite>` without a
// run id, except that the test container runs the image's /app/run_test.py, as in the guide.
import type { ResolvedSuite } from "../../config/resolve.js";
import { toYaml } from "../format.js";
import { CLONE_CONTAINER, TEST_CONTAINER } from "../job.js";
import { baseName } from "../../names.js";
import type { SuiteObjects } from "../objects.js";
import { renderSuite } from "../suite.js";

/** renderSuite's objects with the test container switched to the baked runner script. */
export function scaffoldObjects(suite: ResolvedSuite): SuiteObjects {
  const objects = renderSuite(suite);
  const pod = objects.job.spec.template.spec;
  // The baked runner does not wait for the clone: as in the guide, it is an init container.
  const clone = pod.containers.filter((c) => c.name === CLONE_CONTAINER);
  pod.initContainers = [...(pod.initContainers ?? []), ...clone];
  pod.containers = pod.containers.flatMap((c) => {
    if (c.name !== TEST_CONTAINER) return [];
    const { args: _args, ...rest } = c;
    return [{ ...rest, command: ["python", "/app/run_test.py"] }];
  });
  return objects;
}

export function manifest(suite: ResolvedSuite): string {
  const name = baseName(suite.name);
  const header = `# Kubernetes objects for the ${suite.name} end-to-end suite (written by: incluster scaffold ${suite.name}).
# Usable without incluster:
#   podman build -t ${suite.image} -f jobs/${name}/Dockerfile .
#   podman push ${suite.image}
#   kubectl delete job ${name} -n ${suite.namespace} --ignore-not-found=true
#   kubectl apply -f deploy/k8s/99-${name}.yaml
#   kubectl logs -f -n ${suite.namespace} -l app=${name}
`;
  return header + toYaml(scaffoldObjects(suite));
}
