import { Resources } from '../ports/resources';
import type { WritePort } from '../ports/write-port';
import { scaleReplicaSet } from './deployment-scaling';
import {
  byCreation,
  maxSurge,
  maxUnavailable,
  replicasOf,
  revisionOf,
  specReplicas,
  sum,
} from './deployment-util';
import type { Deployment, Pod, ReplicaSet } from './types';

export interface RolloutDeps {
  readonly writer: WritePort;
  /** Active pods the set controls, from the cache. */
  readonly activePodsOf: (rs: ReplicaSet) => readonly Pod[];
  /** Every pod the set controls that has not finished (terminating ones too). */
  readonly runningPodsOf: (rs: ReplicaSet) => readonly Pod[];
}

/**
 * How big the new set may grow (Kubernetes' NewRSNewReplicas). Current pods per set count as
 * the larger of its size and the pods the cache still shows, so pods of a set just scaled down
 * but not yet gone still use up surge: the pod count itself never passes replicas + maxSurge.
 */
export function newRSReplicas(
  d: Deployment,
  all: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  deps: RolloutDeps,
): number {
  const current = newRS ? specReplicas(newRS) : 0;
  if (d.spec.strategy?.type === 'Recreate') return replicasOf(d);
  const maxTotal = replicasOf(d) + maxSurge(d);
  const podCount = sum(all, (rs) => Math.max(specReplicas(rs), deps.activePodsOf(rs).length));
  if (podCount >= maxTotal) return current;
  return current + Math.max(0, Math.min(maxTotal - podCount, replicasOf(d) - current));
}

/** Grows or shrinks the new set toward spec.replicas within the surge. True when it wrote. */
async function reconcileNewReplicaSet(
  d: Deployment,
  all: ReplicaSet[],
  newRS: ReplicaSet,
  deps: RolloutDeps,
): Promise<boolean> {
  if (specReplicas(newRS) === replicasOf(d)) return false;
  const target =
    specReplicas(newRS) > replicasOf(d) ? replicasOf(d) : newRSReplicas(d, all, newRS, deps);
  if (target === specReplicas(newRS)) return false;
  await scaleReplicaSet(deps.writer, d, newRS, target);
  return true;
}

/** Old sets give back what availability allows (Kubernetes' reconcileOldReplicaSets). */
async function reconcileOldReplicaSets(
  d: Deployment,
  all: ReplicaSet[],
  oldRSs: ReplicaSet[],
  newRS: ReplicaSet,
  deps: RolloutDeps,
): Promise<boolean> {
  if (sum(oldRSs, specReplicas) === 0) return false;
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = sum(all, specReplicas) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  // First drop old replicas that are not available anyway: they cost no availability.
  let cleaned = 0;
  const sizes = new Map<ReplicaSet, number>(oldRSs.map((rs) => [rs, specReplicas(rs)]));
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (cleaned >= maxScaledDown) break;
    const size = sizes.get(rs) ?? 0;
    const unavailable = size - (rs.status?.availableReplicas ?? 0);
    if (size === 0 || unavailable <= 0) continue;
    const drop = Math.min(maxScaledDown - cleaned, unavailable);
    sizes.set(rs, size - drop);
    cleaned += drop;
  }
  // Then scale down available old replicas down to minAvailable.
  const available = sum(all, (rs) => rs.status?.availableReplicas);
  let scaled = 0;
  const budget = available - minAvailable;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (scaled >= budget) break;
    const size = sizes.get(rs) ?? 0;
    if (size === 0) continue;
    const drop = Math.min(size, budget - scaled);
    sizes.set(rs, size - drop);
    scaled += drop;
  }
  let wrote = false;
  for (const [rs, size] of sizes) {
    if (size === specReplicas(rs)) continue;
    await scaleReplicaSet(deps.writer, d, rs, size);
    wrote = true;
  }
  return wrote;
}

/** One step of a rolling update; true when a set was resized (wait for its events). */
export async function rollingStep(
  d: Deployment,
  newRS: ReplicaSet,
  oldRSs: ReplicaSet[],
  deps: RolloutDeps,
): Promise<boolean> {
  const all = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(d, all, newRS, deps)) return true;
  const activeOld = oldRSs.filter((rs) => specReplicas(rs) > 0);
  return reconcileOldReplicaSets(d, all, activeOld, newRS, deps);
}

/** Recreate, first half: old sets to zero. True when it wrote. */
export async function scaleDownForRecreate(
  d: Deployment,
  oldRSs: ReplicaSet[],
  deps: RolloutDeps,
): Promise<boolean> {
  let wrote = false;
  for (const rs of oldRSs.filter((r) => specReplicas(r) > 0)) {
    await scaleReplicaSet(deps.writer, d, rs, 0);
    wrote = true;
  }
  return wrote;
}

/** Recreate waits until no old pod runs (terminating ones included). */
export function oldPodsRunning(oldRSs: readonly ReplicaSet[], deps: RolloutDeps): boolean {
  if (sum(oldRSs, (rs) => rs.status?.replicas) > 0) return true;
  return oldRSs.some((rs) => deps.runningPodsOf(rs).length > 0);
}

/** Old sets at zero beyond revisionHistoryLimit go, oldest revision first. */
export async function cleanupHistory(
  d: Deployment,
  oldRSs: readonly ReplicaSet[],
  writer: WritePort,
): Promise<void> {
  const limit = d.spec.revisionHistoryLimit;
  if (limit === undefined) return;
  const alive = oldRSs.filter((rs) => rs.metadata.deletionTimestamp === undefined);
  const diff = alive.length - limit;
  if (diff <= 0) return;
  const sorted = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (const rs of sorted.slice(0, diff)) {
    const idle = specReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0;
    const observed = (rs.status?.observedGeneration ?? 0) >= (rs.metadata.generation ?? 0);
    if (!idle || !observed) continue;
    await writer.delete(Resources.replicaSets, rs.metadata.namespace ?? '', rs.metadata.name ?? '');
  }
}
