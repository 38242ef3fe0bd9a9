import { normalizeScores, type ScorePlugin } from '../framework';
import { matchNodeSelectorTerm } from '../node-selector';

/** Preferred node affinity: the sum of the weights of the terms a node matches, best = 100. */
export const NodeAffinityScore: ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  prepare({ podInfo }) {
    const preferred =
      podInfo.pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    if (!preferred?.length) return undefined;
    return {
      score(node) {
        let sum = 0;
        for (const term of preferred)
          if (matchNodeSelectorTerm(term.preference, node.node)) sum += term.weight;
        return sum;
      },
      normalize: (scores) => normalizeScores(scores, false),
    };
  },
};
