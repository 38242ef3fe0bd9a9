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

interface NodeShape {
  metadata: { labels?: Record<string, string> };
  spec?: unknown;
  status?: {
    allocatable?: unknown;
    conditions?: { type: string; status: string }[];
  };
}

/**
 * Whether a node update can let a parked pod fit: labels, spec (taints, unschedulable),
 * allocatable or a condition's status. Heartbeat-only updates (timestamps) retry nothing.
 */
export function nodeSchedulingChanged(oldNode: KubeObject, newNode: KubeObject): boolean {
  const view = (n: KubeObject): string => {
    const s = n as unknown as NodeShape;
    return JSON.stringify([
      s.metadata.labels ?? {},
      s.spec ?? {},
      s.status?.allocatable ?? {},
      (s.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`),
    ]);
  };
  return view(oldNode) !== view(newNode);
}
