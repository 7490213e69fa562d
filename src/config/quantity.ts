// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): a signed decimal
// number with an optional binary (Ki..Ei), decimal (n, u, m, k, M..E) or exponent suffix.
// No spaces: "512 Mi" is rejected by the API server, so we reject it before it gets there.

export const QUANTITY_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

export function isQuantity(text: string): boolean {
  return QUANTITY_PATTERN.test(text);
}
