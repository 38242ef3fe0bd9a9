import type { ClusterSnapshot } from '../cluster-snapshot';
import { reject, type FilterPlugin } from '../framework';
import { labelMatcher, selectorKey } from '../label-selector';
import { podNamespace, type Pod, type TopologySpreadConstraint } from '../types';
import { podMatchesNodeSelectorAndAffinity } from './node-affinity';

export const ErrReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const ErrReasonNodeLabelNotMatch = `${ErrReasonConstraintsNotMatch} (missing required label)`;

export interface DomainCounts {
  readonly constraint: TopologySpreadConstraint;
  /** Matching pods per topology value, over the nodes the pod could go to. */
  readonly counts: Map<string, number>;
  readonly minCount: number;
  /** 1 when the incoming pod itself matches the selector (it will count once placed). */
  readonly selfMatch: number;
}

/**
 * Counts matching pods per domain. Only nodes the pod may land on (its node selector and required
 * affinity, the default nodeAffinityPolicy=Honor) and that carry the topology key make domains.
 */
export function countDomains(
  pod: Pod,
  constraint: TopologySpreadConstraint,
  snapshot: ClusterSnapshot,
): DomainCounts {
  const ns = podNamespace(pod);
  const counts = new Map<string, number>();
  const cacheKey = selectorKey(ns, constraint.labelSelector);
  for (const node of snapshot.list()) {
    const value = node.node.metadata.labels?.[constraint.topologyKey];
    if (value === undefined || !podMatchesNodeSelectorAndAffinity(pod, node.node)) continue;
    counts.set(
      value,
      (counts.get(value) ?? 0) + node.countMatching(ns, constraint.labelSelector, cacheKey),
    );
  }
  let minCount = counts.size === 0 ? 0 : Infinity;
  for (const c of counts.values()) minCount = Math.min(minCount, c);
  // Fewer domains than required: the missing ones count as empty, so the global minimum is 0.
  if (constraint.minDomains !== undefined && counts.size < constraint.minDomains) minCount = 0;
  const selfMatch = labelMatcher(constraint.labelSelector)(pod.metadata.labels) ? 1 : 0;
  return { constraint, counts, minCount, selfMatch };
}

/** whenUnsatisfiable: DoNotSchedule — placing the pod must keep every skew within maxSkew. */
export const PodTopologySpread: FilterPlugin = {
  name: 'PodTopologySpread',
  prepare({ podInfo, snapshot }) {
    const { pod } = podInfo;
    const hard = (pod.spec.topologySpreadConstraints ?? []).filter(
      (c) => c.whenUnsatisfiable === 'DoNotSchedule',
    );
    if (hard.length === 0) return undefined;
    const domains = hard.map((c) => countDomains(pod, c, snapshot));
    return (node) => {
      const labels = node.node.metadata.labels ?? {};
      for (const d of domains) {
        const value = labels[d.constraint.topologyKey];
        if (value === undefined) return reject(this.name, ErrReasonNodeLabelNotMatch, true);
        const skew = (d.counts.get(value) ?? 0) + d.selfMatch - d.minCount;
        if (skew > d.constraint.maxSkew) return reject(this.name, ErrReasonConstraintsNotMatch);
      }
      return undefined;
    };
  },
};
