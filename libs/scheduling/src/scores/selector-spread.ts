import { MaxNodeScore, type ScorePlugin } from '../framework';
import { controllerUid, ZoneLabel } from '../types';

// Zones weigh twice as much as single nodes: losing a zone is the bigger risk.
const ZoneWeight = 2 / 3;

/**
 * Spreads the pods of one owner (ReplicaSet, StatefulSet...) across nodes and zones: the fewer
 * siblings a node and its zone already hold, the higher the score. This is the default spreading
 * kube-scheduler applies to owned pods without topologySpreadConstraints.
 */
export const SelectorSpread: ScorePlugin = {
  name: 'SelectorSpread',
  weight: 2,
  prepare({ podInfo }) {
    const owner = controllerUid(podInfo.pod);
    // Like kube-scheduler's default constraints: only for pods that declare no spread of their own.
    if (!owner || podInfo.pod.spec.topologySpreadConstraints?.length) return undefined;
    return {
      score: (node) => node.ownerCounts.get(owner) ?? 0,
      normalize(scores, nodes) {
        const zoneCounts = new Map<string, number>();
        let maxNode = 0;
        nodes.forEach((node, i) => {
          maxNode = Math.max(maxNode, scores[i]);
          const zone = node.node.metadata.labels?.[ZoneLabel];
          if (zone !== undefined) zoneCounts.set(zone, (zoneCounts.get(zone) ?? 0) + scores[i]);
        });
        const maxZone = Math.max(0, ...zoneCounts.values());
        nodes.forEach((node, i) => {
          let score = maxNode > 0 ? (MaxNodeScore * (maxNode - scores[i])) / maxNode : MaxNodeScore;
          const zone = node.node.metadata.labels?.[ZoneLabel];
          if (zone !== undefined && zoneCounts.size > 0) {
            const zoneScore =
              maxZone > 0
                ? (MaxNodeScore * (maxZone - zoneCounts.get(zone)!)) / maxZone
                : MaxNodeScore;
            score = score * (1 - ZoneWeight) + zoneScore * ZoneWeight;
          }
          scores[i] = Math.floor(score);
        });
      },
    };
  },
};
