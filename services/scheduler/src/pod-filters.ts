import type { Node, Pod } from '@bosun/api-types';

/** A pending pod this scheduler should place: ours by name, unbound, not being deleted. */
export function isOurs(pod: Pod, schedulerName: string): boolean {
  return (
    (pod.spec?.schedulerName ?? 'default-scheduler') === schedulerName &&
    !pod.spec?.nodeName &&
    !pod.metadata.deletionTimestamp
  );
}

export const nodeNameOf = (pod: Pod): string | undefined => pod.spec?.nodeName || undefined;

/**
 * Whether an update can change placement. Our own status writes (PodScheduled=False) bump the
 * resourceVersion and status only; treating them as changes would retry an unschedulable pod in
 * a loop, so, like kube-scheduler, they are ignored.
 */
export function specChanged(oldPod: Pod, newPod: Pod): boolean {
  const strip = (p: Pod): string => {
    const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...metadata } = p.metadata;
    const { status: _s, ...rest } = p;
    return JSON.stringify({ ...rest, metadata });
  };
  return strip(oldPod) !== strip(newPod);
}

/**
 * Whether a node update can let a parked pod fit: labels, spec (taints, unschedulable),
 * allocatable or a condition's status. Heartbeat-only updates (timestamps) retry nothing.
 */
export function nodeSchedulingChanged(oldNode: Node, newNode: Node): boolean {
  const view = (s: Node): string => {
    return JSON.stringify([
      s.metadata.labels ?? {},
      s.spec ?? {},
      s.status?.allocatable ?? {},
      (s.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`),
    ]);
  };
  return view(oldNode) !== view(newNode);
}
