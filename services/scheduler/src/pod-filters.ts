import type { KubeObject } from '@bosun/controller-kit';

interface PodShape {
  spec?: { schedulerName?: string; nodeName?: string };
  metadata: { deletionTimestamp?: string };
}

/** A pending pod this scheduler should place: ours by name, unbound, not being deleted. */
export function isOurs(pod: KubeObject, schedulerName: string): boolean {
  const p = pod as unknown as PodShape;
  return (
    (p.spec?.schedulerName ?? 'default-scheduler') === schedulerName &&
    !p.spec?.nodeName &&
    !p.metadata.deletionTimestamp
  );
}

export const nodeNameOf = (pod: KubeObject): string | undefined =>
  (pod as unknown as PodShape).spec?.nodeName || undefined;

/**
 * Whether an update can change placement. Our own status writes (PodScheduled=False) bump the
 * resourceVersion and status only; treating them as changes would retry an unschedulable pod in
 * a loop, so, like kube-scheduler, they are ignored.
 */
export function specChanged(oldPod: KubeObject, newPod: KubeObject): boolean {
  const strip = (p: KubeObject): string => {
    const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...metadata } = p.metadata;
    const { status: _s, ...rest } = p;
    return JSON.stringify({ ...rest, metadata });
  };
  return strip(oldPod) !== strip(newPod);
}
