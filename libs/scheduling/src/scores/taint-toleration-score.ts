import { normalizeScores, type ScorePlugin } from '../framework';
import { toleratedByAny } from '../tolerations';

/** Fewer untolerated PreferNoSchedule taints is better; a node with none scores 100. */
export const TaintTolerationScore: ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  prepare({ podInfo }) {
    const tolerations = (podInfo.pod.spec.tolerations ?? []).filter(
      (t) => !t.effect || t.effect === 'PreferNoSchedule',
    );
    return {
      score(node) {
        let count = 0;
        for (const taint of node.node.spec?.taints ?? []) {
          if (taint.effect === 'PreferNoSchedule' && !toleratedByAny(tolerations, taint)) count++;
        }
        return count;
      },
      normalize: (scores) => normalizeScores(scores, true),
    };
  },
};
