import { reject, type FilterPlugin } from '../framework';
import type { NodeInfo } from '../node-info';
import type { Resources } from '../resources';

export const ErrReasonTooManyPods = 'Too many pods';

/** Every resource the pod requests must fit in what the node has left; each shortfall is named. */
export function insufficientResources(req: Resources, node: NodeInfo): string[] {
  const reasons: string[] = [];
  if (node.pods.size + 1 > node.allowedPods) reasons.push(ErrReasonTooManyPods);
  const free = node.allocatable;
  const used = node.requested;
  if (req.milliCPU > 0 && req.milliCPU > free.milliCPU - used.milliCPU)
    reasons.push('Insufficient cpu');
  if (req.memory > 0 && req.memory > free.memory - used.memory) reasons.push('Insufficient memory');
  if (
    req.ephemeralStorage > 0 &&
    req.ephemeralStorage > free.ephemeralStorage - used.ephemeralStorage
  ) {
    reasons.push('Insufficient ephemeral-storage');
  }
  for (const [name, want] of req.scalar) {
    if (want > 0 && want > (free.scalar.get(name) ?? 0) - (used.scalar.get(name) ?? 0)) {
      reasons.push(`Insufficient ${name}`);
    }
  }
  return reasons;
}

export const NodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  prepare({ podInfo }) {
    return (node) => {
      const reasons = insufficientResources(podInfo.requests, node);
      return reasons.length > 0 ? reject(this.name, reasons) : undefined;
    };
  },
};
