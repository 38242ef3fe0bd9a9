import { MaxNodeScore, type ScorePlugin } from '../framework';

const fraction = (requested: number, capacity: number): number =>
  capacity <= 0 ? 1 : Math.min(1, requested / capacity);

/**
 * Prefers nodes whose CPU and memory would be used in equal shares, so neither is stranded.
 * With two resources the standard deviation of the shares is half their difference.
 */
export const NodeResourcesBalancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  prepare({ podInfo }) {
    const { milliCPU, memory } = podInfo.nonZero;
    return {
      score(node) {
        const cpu = fraction(node.nonZeroRequested.milliCPU + milliCPU, node.allocatable.milliCPU);
        const mem = fraction(node.nonZeroRequested.memory + memory, node.allocatable.memory);
        const std = Math.abs(cpu - mem) / 2;
        return Math.floor((1 - std) * MaxNodeScore);
      },
    };
  },
};
