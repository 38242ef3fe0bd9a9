import { MaxNodeScore, type ScorePlugin } from '../framework';

function leastRequested(requested: number, capacity: number): number {
  if (capacity <= 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MaxNodeScore) / capacity);
}

/** Prefers emptier nodes: the mean share of CPU and memory left after placing the pod. */
export const NodeResourcesLeastAllocated: ScorePlugin = {
  name: 'NodeResourcesLeastAllocated',
  weight: 1,
  prepare({ podInfo }) {
    const { milliCPU, memory } = podInfo.nonZero;
    return {
      score(node) {
        const cpu = leastRequested(
          node.nonZeroRequested.milliCPU + milliCPU,
          node.allocatable.milliCPU,
        );
        const mem = leastRequested(node.nonZeroRequested.memory + memory, node.allocatable.memory);
        return Math.floor((cpu + mem) / 2);
      },
    };
  },
};
