import { reject, type FilterPlugin } from '../framework';
import { matchNodeSelectorTerms } from '../node-selector';
import type { Node, Pod } from '../types';

export const ErrReasonPod = "node(s) didn't match Pod's node affinity/selector";

/** spec.nodeSelector and required node affinity must both hold. */
export function podMatchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) {
    if (labels[k] !== v) return false;
  }
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return !required || matchNodeSelectorTerms(required.nodeSelectorTerms, node);
}

export const NodeAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  prepare({ podInfo }) {
    const { pod } = podInfo;
    const hasSelector = Object.keys(pod.spec.nodeSelector ?? {}).length > 0;
    if (
      !hasSelector &&
      !pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
    ) {
      return undefined;
    }
    return (node) =>
      podMatchesNodeSelectorAndAffinity(pod, node.node)
        ? undefined
        : reject(this.name, ErrReasonPod, true);
  },
};
