import { resolveFenceposts } from './int-or-percent';
import type { Deployment, DeploymentStatus, ReplicaSet } from './types';

export const Annotation = {
  Revision: 'deployment.kubernetes.io/revision',
  RevisionHistory: 'deployment.kubernetes.io/revision-history',
  DesiredReplicas: 'deployment.kubernetes.io/desired-replicas',
  MaxReplicas: 'deployment.kubernetes.io/max-replicas',
} as const;

/** Deployment annotations that are not copied onto its ReplicaSets. */
const NOT_COPIED = new Set<string>([
  'kubectl.kubernetes.io/last-applied-configuration',
  Annotation.Revision,
  Annotation.RevisionHistory,
  Annotation.DesiredReplicas,
  Annotation.MaxReplicas,
  'deprecated.deployment.rollback.to',
]);

export const replicasOf = (d: Deployment): number => d.spec.replicas ?? 1;
export const specReplicas = (rs: ReplicaSet): number => rs.spec.replicas ?? 0;

export function revisionOf(rs: { metadata: { annotations?: Record<string, string> } }): number {
  const n = Number(rs.metadata.annotations?.[Annotation.Revision] ?? 0);
  return Number.isFinite(n) ? n : 0;
}

export const isRollingUpdate = (d: Deployment): boolean =>
  (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const r = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(r?.maxSurge, r?.maxUnavailable, replicasOf(d)).surge;
}

export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  const r = d.spec.strategy?.rollingUpdate;
  const { unavailable } = resolveFenceposts(r?.maxSurge, r?.maxUnavailable, replicasOf(d));
  return Math.min(unavailable, replicasOf(d));
}

export const sum = <T>(items: readonly T[], f: (t: T) => number | undefined): number =>
  items.reduce((n, t) => n + (f(t) ?? 0), 0);

/** Oldest first (name breaks ties), the order Kubernetes scales old sets down in. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  return ta - tb || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** The deployment annotations a ReplicaSet carries (change-cause and the like). */
export function copiedAnnotations(d: Deployment): Record<string, string> {
  return Object.fromEntries(
    Object.entries(d.metadata.annotations ?? {}).filter(([k]) => !NOT_COPIED.has(k)),
  );
}

/** Every replica updated, available and observed: the rollout is over. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const want = replicasOf(d);
  return (
    (s.updatedReplicas ?? 0) === want &&
    (s.replicas ?? 0) === want &&
    (s.availableReplicas ?? 0) === want &&
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** The new set runs the full count and nothing else does (Kubernetes' IsSaturated). */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = Number(rs.metadata.annotations?.[Annotation.DesiredReplicas]);
  return (
    desired === replicasOf(d) &&
    specReplicas(rs) === replicasOf(d) &&
    (rs.status?.availableReplicas ?? 0) === replicasOf(d)
  );
}
