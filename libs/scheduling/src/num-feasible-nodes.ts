export const MinFeasibleNodesToFind = 100;
export const MinFeasibleNodesPercentageToFind = 5;
const BasePercentage = 50;

/**
 * How many feasible nodes to find before scoring (kube-scheduler's adaptive rule): all of them in
 * small clusters; in large ones a share that shrinks with size (50% - nodes/125, at least 5%), but
 * never fewer than 100 nodes. `percentage` > 0 overrides the adaptive share.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MinFeasibleNodesToFind || percentage >= 100) return numAllNodes;
  let adaptive = percentage;
  if (adaptive <= 0) {
    adaptive = BasePercentage - Math.floor(numAllNodes / 125);
    if (adaptive < MinFeasibleNodesPercentageToFind) adaptive = MinFeasibleNodesPercentageToFind;
  }
  const numNodes = Math.floor((numAllNodes * adaptive) / 100);
  return numNodes < MinFeasibleNodesToFind ? MinFeasibleNodesToFind : numNodes;
}
