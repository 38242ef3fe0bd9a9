import type { ScorePlugin } from '../framework';
import { NodeResourcesBalancedAllocation } from './balanced-allocation';
import { NodeResourcesLeastAllocated } from './least-allocated';
import { NodeAffinityScore } from './node-affinity-score';
import { PodTopologySpreadScore } from './pod-topology-spread-score';
import { SelectorSpread } from './selector-spread';
import { TaintTolerationScore } from './taint-toleration-score';

/** kube-scheduler's default weights: taints 3, affinity and spreading 2, resources 1. */
export const defaultScores: readonly ScorePlugin[] = [
  TaintTolerationScore,
  NodeAffinityScore,
  PodTopologySpreadScore,
  SelectorSpread,
  NodeResourcesLeastAllocated,
  NodeResourcesBalancedAllocation,
];

export {
  NodeAffinityScore,
  NodeResourcesBalancedAllocation,
  PodTopologySpreadScore,
  NodeResourcesLeastAllocated,
  SelectorSpread,
  TaintTolerationScore,
};
