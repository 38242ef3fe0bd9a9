import type { Pod } from './types';

/** Counted toward replicas: not finished and not on its way out. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return (
    phase !== 'Succeeded' && phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined
  );
}

export function readyCondition(pod: Pod) {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

/**
 * Ready for at least minReadySeconds (judged from the Ready condition's lastTransitionTime, as
 * Kubernetes does). `now` in epoch ms.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  const ready = readyCondition(pod);
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now;
}

/**
 * When a ready pod will become available (epoch ms), for a requeue; undefined when it already is
 * or is not ready.
 */
export function availableAt(pod: Pod, minReadySeconds: number, now: number): number | undefined {
  const ready = readyCondition(pod);
  if (ready?.status !== 'True' || minReadySeconds <= 0) return undefined;
  const at = Date.parse(ready.lastTransitionTime ?? '') + minReadySeconds * 1000;
  return Number.isFinite(at) && at > now ? at : undefined;
}
