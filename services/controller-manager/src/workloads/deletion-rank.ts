import { isPodReady } from './pod-state';
import type { Pod } from './types';

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restarts(pod: Pod): number {
  const statuses = (pod.status?.['containerStatuses'] ?? []) as { restartCount?: number }[];
  return statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
}

const created = (pod: Pod): number => Date.parse(pod.metadata.creationTimestamp ?? '') || 0;

/**
 * Orders pods so the cheapest to lose come first, as Kubernetes' ActivePods does: unscheduled
 * before scheduled, pending before running, not-ready before ready, more restarts first, newest
 * first (name breaks ties so the order is deterministic).
 */
export function compareForDeletion(a: Pod, b: Pod): number {
  const assigned = (p: Pod): number => (p.spec?.nodeName ? 1 : 0);
  const phase = (p: Pod): number => PHASE_RANK[p.status?.phase ?? 'Pending'] ?? 0;
  const ready = (p: Pod): number => (isPodReady(p) ? 1 : 0);
  return (
    assigned(a) - assigned(b) ||
    phase(a) - phase(b) ||
    ready(a) - ready(b) ||
    restarts(b) - restarts(a) ||
    created(b) - created(a) ||
    (b.metadata.name ?? '').localeCompare(a.metadata.name ?? '')
  );
}

export function podsToDelete(pods: readonly Pod[], count: number): Pod[] {
  return [...pods].sort(compareForDeletion).slice(0, Math.max(0, count));
}
