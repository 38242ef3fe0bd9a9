import { Resources } from '../ports/resources';
import type { WritePort } from '../ports/write-port';
import {
  Annotation,
  isRollingUpdate,
  isSaturated,
  maxSurge,
  replicasOf,
  specReplicas,
  sum,
} from './deployment-util';
import type { Deployment, ReplicaSet } from './types';

/**
 * Sets a set's size and the deployment's desired/max annotations on it (Kubernetes'
 * scaleReplicaSet), with the set's resourceVersion as precondition. Returns the set as stored.
 */
export async function scaleReplicaSet(
  writer: WritePort,
  d: Deployment,
  rs: ReplicaSet,
  replicas: number,
): Promise<ReplicaSet> {
  const desired = String(replicasOf(d));
  const max = String(replicasOf(d) + maxSurge(d));
  const ann = rs.metadata.annotations ?? {};
  if (
    specReplicas(rs) === replicas &&
    ann[Annotation.DesiredReplicas] === desired &&
    ann[Annotation.MaxReplicas] === max
  ) {
    return rs;
  }
  const copy = structuredClone(rs);
  copy.spec.replicas = replicas;
  copy.metadata.annotations = {
    ...ann,
    [Annotation.DesiredReplicas]: desired,
    [Annotation.MaxReplicas]: max,
  };
  return writer.update(Resources.replicaSets, copy);
}

/** Some active set was sized for a different spec.replicas: the user scaled. */
export function isScalingEvent(d: Deployment, all: readonly ReplicaSet[]): boolean {
  return all
    .filter((rs) => specReplicas(rs) > 0)
    .some((rs) => {
      const desired = rs.metadata.annotations?.[Annotation.DesiredReplicas];
      return desired !== undefined && Number(desired) !== replicasOf(d);
    });
}

function activeOrLatest(
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
): ReplicaSet | undefined {
  const all = [...(newRS ? [newRS] : []), ...oldRSs];
  const active = all.filter((rs) => specReplicas(rs) > 0);
  if (active.length === 1) return active[0];
  if (active.length > 1) return undefined;
  if (newRS) return newRS;
  return [...oldRSs].sort((a, b) =>
    (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
  )[0];
}

/** A set's share of a resize, from the size it was made for (Kubernetes' getReplicaSetFraction). */
function fraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -specReplicas(rs);
  const maxNow = replicasOf(d) + maxSurge(d);
  const annotated = Number(
    rs.metadata.annotations?.[Annotation.MaxReplicas] ?? d.status?.replicas ?? 0,
  );
  if (!annotated) return 0;
  return Math.round((specReplicas(rs) * maxNow) / annotated) - specReplicas(rs);
}

/**
 * Resizes for a changed spec.replicas (Kubernetes' scale): one active set takes the new size;
 * mid-rollout the change is spread over the active sets in proportion, the rest to the largest.
 */
export async function scaleDeployment(
  writer: WritePort,
  d: Deployment,
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
): Promise<void> {
  const only = activeOrLatest(newRS, oldRSs);
  if (only) {
    if (specReplicas(only) !== replicasOf(d)) await scaleReplicaSet(writer, d, only, replicasOf(d));
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const rs of oldRSs.filter((r) => specReplicas(r) > 0))
      await scaleReplicaSet(writer, d, rs, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const active = [...(newRS ? [newRS] : []), ...oldRSs].filter((rs) => specReplicas(rs) > 0);
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - sum(active, specReplicas);
  if (toAdd === 0) return;
  const newer = (a: ReplicaSet, b: ReplicaSet) =>
    (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
  const sorted = [...active].sort(
    (a, b) => specReplicas(b) - specReplicas(a) || (toAdd > 0 ? newer(a, b) : -newer(a, b)),
  );
  const sizes = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of sorted) {
    const allowedLeft = toAdd - added;
    const f = fraction(rs, d);
    const proportion =
      allowedLeft === 0 ? 0 : toAdd > 0 ? Math.min(f, allowedLeft) : Math.max(f, allowedLeft);
    sizes.set(rs, specReplicas(rs) + proportion);
    added += proportion;
  }
  if (sorted.length > 0) {
    const first = sorted[0];
    sizes.set(first, Math.max(0, (sizes.get(first) ?? 0) + toAdd - added));
  }
  for (const [rs, size] of sizes) await scaleReplicaSet(writer, d, rs, Math.max(0, size));
}
