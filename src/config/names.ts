// Names that end up inside Kubernetes object names. A suite name becomes the Job name
// `test-<suite>-e2e-<runid>`, which must be a DNS-1123 label (lowercase alphanumerics and '-',
// starting and ending with an alphanumeric, at most 63 characters).
import { clip } from "../echo.js";
import { JOB_PREFIX, JOB_SUFFIX } from "../names.js";

/** A run id is 6 characters, appended as "-xxxxxx". */
export const RUN_ID_LENGTH = 6;
export const DNS_LABEL_MAX = 63;
/** 63 - "test-" (5) - "-e2e" (4) - "-xxxxxx" (7) = 47. */
export const SUITE_NAME_MAX = DNS_LABEL_MAX - JOB_PREFIX.length - JOB_SUFFIX.length - (RUN_ID_LENGTH + 1);

export const DNS_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Secret and ConfigMap names: DNS-1123 subdomains (labels joined by '.'). */
export const DNS_SUBDOMAIN_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS_SUBDOMAIN_MAX = 253;
/** Keys of a Secret or ConfigMap's data. */
export const CONFIG_KEY_PATTERN = /^[-._a-zA-Z0-9]{1,253}$/;

/** Why a suite name cannot be used, or undefined when it can. */
export function suiteNameProblem(name: string): string | undefined {
  if (!DNS_LABEL_PATTERN.test(name)) {
    const suggestion = suggestSuiteName(name);
    return (
      `suite name "${clip(name)}" must be lowercase letters, digits and '-', starting and ending with a letter or digit, ` +
      `because it becomes part of the Job name ${JOB_PREFIX}<suite>${JOB_SUFFIX}, a DNS-1123 label` +
      (suggestion && suggestion !== name ? `; try "${suggestion}"` : "")
    );
  }
  if (name.length > SUITE_NAME_MAX) {
    return (
      `suite name "${clip(name)}" is ${name.length} characters; at most ${SUITE_NAME_MAX} fit, because the Job name ` +
      `"${JOB_PREFIX}<suite>${JOB_SUFFIX}-<${RUN_ID_LENGTH}-char run id>" must be a DNS-1123 label of at most ${DNS_LABEL_MAX} characters ` +
      `(${DNS_LABEL_MAX} - ${JOB_PREFIX.length} for "${JOB_PREFIX}" - ${JOB_SUFFIX.length} for "${JOB_SUFFIX}" ` +
      `- ${RUN_ID_LENGTH + 1} for the run id = ${SUITE_NAME_MAX}); shorten it`
    );
  }
  return undefined;
}

/** Why a namespace cannot be used, or undefined when it can. */
export function namespaceProblem(ns: string): string | undefined {
  if (DNS_LABEL_PATTERN.test(ns) && ns.length <= DNS_LABEL_MAX) return undefined;
  return (
    `namespace "${clip(ns)}" must be a DNS-1123 label: at most ${DNS_LABEL_MAX} lowercase letters, digits and '-', ` +
    "starting and ending with a letter or digit"
  );
}

/** The closest valid suite name: lowercased, runs of other characters turned into '-', shortened. */
export function suggestSuiteName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SUITE_NAME_MAX)
    .replace(/-+$/, "");
}
