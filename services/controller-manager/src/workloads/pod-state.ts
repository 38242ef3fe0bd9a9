import { parseTime, type KubeObject } from '@bosun/controller-kit';
import type { Condition } from './types';

/** What these checks read; every pod type of this service fits it. */
interface PodView {
  readonly metadata: KubeObject['metadata'];
  readonly status?: { phase?: string; conditions?: readonly Condition[] };
}

export function isTerminal(pod: PodView): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function isTerminating(obj: Pick<KubeObject, 'metadata'>): boolean {
  return typeof obj.metadata['deletionTimestamp'] === 'string';
}

/** Counted toward replicas: not finished and not on its way out. */
export function isPodActive(pod: PodView): boolean {
  return !isTerminal(pod) && !isTerminating(pod);
}

export function readyCondition(pod: PodView) {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: PodView): boolean {
  return readyCondition(pod)?.status === 'True';
}

/**
 * Ready for at least minReadySeconds (judged from the Ready condition's lastTransitionTime, as
 * Kubernetes does). `now` in epoch ms.
 */
export function isPodAvailable(pod: PodView, minReadySeconds: number, now: number): boolean {
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
export function availableAt(
  pod: PodView,
  minReadySeconds: number,
  now: number,
): number | undefined {
  const ready = readyCondition(pod);
  if (ready?.status !== 'True' || minReadySeconds <= 0) return undefined;
  const at = Date.parse(ready.lastTransitionTime ?? '') + minReadySeconds * 1000;
  return Number.isFinite(at) && at > now ? at : undefined;
}

export function creationMs(obj: Pick<KubeObject, 'metadata'>): number {
  return parseTime(obj.metadata['creationTimestamp']) ?? 0;
}

/** Oldest first, then by name, so choices among equals are reproducible. */
export function byAge(a: Pick<KubeObject, 'metadata'>, b: Pick<KubeObject, 'metadata'>): number {
  return (
    creationMs(a) - creationMs(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')
  );
}
