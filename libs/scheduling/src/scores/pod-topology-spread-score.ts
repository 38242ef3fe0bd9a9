import { countDomains } from '../filters/pod-topology-spread';
import { MaxNodeScore, type ScorePlugin } from '../framework';

/**
 * whenUnsatisfiable: ScheduleAnyway — prefer the domains holding fewest matching pods. Each
 * constraint weighs log(domains + 2), so a constraint over many domains (hostnames) does not
 * drown one over a few (zones); maxSkew - 1 softens constraints that allow more skew. Nodes
 * without a constraint's key score 0.
 */
export const PodTopologySpreadScore: ScorePlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  prepare({ podInfo, snapshot }) {
    const { pod } = podInfo;
    const soft = (pod.spec.topologySpreadConstraints ?? []).filter(
      (c) => c.whenUnsatisfiable === 'ScheduleAnyway',
    );
    if (soft.length === 0) return undefined;
    const domains = soft.map((c) => countDomains(pod, c, snapshot));
    const weights = domains.map((d) => Math.log(d.counts.size + 2));
    const ignored = new Set<string>();
    return {
      score(node) {
        const labels = node.node.metadata.labels ?? {};
        let score = 0;
        for (let i = 0; i < domains.length; i++) {
          const value = labels[domains[i].constraint.topologyKey];
          if (value === undefined) {
            ignored.add(node.name);
            return 0;
          }
          score +=
            ((domains[i].counts.get(value) ?? 0) + domains[i].constraint.maxSkew - 1) * weights[i];
        }
        return Math.round(score);
      },
      normalize(scores, nodes) {
        let min = Infinity;
        let max = 0;
        nodes.forEach((n, i) => {
          if (ignored.has(n.name)) return;
          min = Math.min(min, scores[i]);
          max = Math.max(max, scores[i]);
        });
        nodes.forEach((n, i) => {
          if (ignored.has(n.name)) scores[i] = 0;
          else if (max === 0) scores[i] = MaxNodeScore;
          else scores[i] = Math.floor((MaxNodeScore * (max + min - scores[i])) / max);
        });
      },
    };
  },
};
