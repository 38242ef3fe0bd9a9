import type { Pod } from '../pods/pod-types';
import { Quantity } from '@bosun/api-types';

/** Pods at or above this priority (system-cluster-critical and up) are never evicted. */
export const CRITICAL_PRIORITY = 2_000_000_000;

export interface PodDiskUsage {
  readonly pod: Pod;
  /** Bytes the pod uses on the node file system (emptyDir volumes, logs, writable layers). */
  readonly usageBytes: number;
}

/** The pod's ephemeral-storage request: the sum over its containers (0 when none asks). */
export function ephemeralStorageRequest(pod: Pod): number {
  let sum = 0;
  for (const c of pod.spec.containers)
    sum += Quantity.tryParse(c.resources?.requests?.['ephemeral-storage'])?.toNumber() ?? 0;
  return sum;
}

const exceeds = (u: PodDiskUsage) => u.usageBytes > ephemeralStorageRequest(u.pod);

/**
 * The kubelet's ranking under disk pressure (rankDiskPressureFunc): first the pods whose usage
 * exceeds their ephemeral-storage request (a BestEffort pod exceeds with any usage), then lower
 * priority first, then the larger usage above the request first. Critical pods are left out.
 * Returns a new array; the input is not changed.
 */
export function rankForDiskEviction(pods: readonly PodDiskUsage[]): PodDiskUsage[] {
  return pods
    .filter((u) => (u.pod.spec.priority ?? 0) < CRITICAL_PRIORITY)
    .sort((a, b) => {
      const ea = exceeds(a);
      if (ea !== exceeds(b)) return ea ? -1 : 1;
      const pa = a.pod.spec.priority ?? 0;
      const pb = b.pod.spec.priority ?? 0;
      if (pa !== pb) return pa - pb;
      const over = (u: PodDiskUsage) => u.usageBytes - ephemeralStorageRequest(u.pod);
      const d = over(b) - over(a);
      if (d !== 0) return d;
      // Ties broken by name, so the choice is reproducible.
      const key = (u: PodDiskUsage) => `${u.pod.metadata.namespace ?? ''}/${u.pod.metadata.name}`;
      return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
    });
}
