import {
  defineController,
  IndexName,
  objectKey,
  type Controller,
  type Informer,
  type KubeObject,
  type Result,
  controllerRef,
  newControllerRef,
} from '@bosun/controller-kit';
import { selectorMatches } from '@bosun/resource-model';
import { Resources } from '../ports/resources';
import type { WritePort } from '../ports/write-port';
import { applyClaims, planClaims } from '../workloads/claim';
import { canonicalJson } from '../workloads/canonical-json';
import { findNewReplicaSet, syncRevision } from '../workloads/deployment-replica-sets';
import {
  cleanupHistory,
  newRSReplicas,
  oldPodsRunning,
  rollingStep,
  scaleDownForRecreate,
  type RolloutDeps,
} from '../workloads/deployment-rollout';
import { isScalingEvent, scaleDeployment, scaleReplicaSet } from '../workloads/deployment-scaling';
import { calculateStatus, pausedConditions, rolloutStatus } from '../workloads/deployment-status';
import { deploymentComplete, replicasOf, specReplicas } from '../workloads/deployment-util';
import { isPodActive } from '../workloads/pod-state';
import type { Deployment, DeploymentStatus, Pod, ReplicaSet } from '../workloads/types';
import type { ControllerContext } from './controller-context';
import { kitOptions } from './controller-options';

/**
 * Deployment: a ReplicaSet per pod template (`<name>-<pod-template-hash>`), rolled from old to
 * new by RollingUpdate (within maxSurge/maxUnavailable) or Recreate, with revisions, history,
 * pause and the Progressing/Available conditions. Reads only the caches; writes sets and status.
 */
export function deploymentController(ctx: ControllerContext): Controller {
  const deployments = ctx.informers.for<Deployment>(Resources.deployments);
  const sets = ctx.informers.for<ReplicaSet>(Resources.replicaSets);
  const pods = ctx.informers.for<Pod>(Resources.pods);
  const deps: DeploymentDeps = {
    deployments,
    sets,
    pods,
    writer: ctx.writer,
    now: () => (ctx.clock ?? Date).now(),
  };
  return defineController({
    ...kitOptions(ctx, 'deployment'),
    informers: [deployments, sets, pods],
    keyOf: (obj, informer) => keysFor(obj, informer as unknown, deps),
    reconcile: (key) => reconcileDeployment(key, deps),
  });
}

export interface DeploymentDeps {
  readonly deployments: Informer<Deployment>;
  readonly sets: Informer<ReplicaSet>;
  readonly pods: Informer<Pod>;
  readonly writer: WritePort;
  readonly now: () => number;
}

function keysFor(obj: KubeObject, informer: unknown, deps: DeploymentDeps): string[] {
  if (informer === deps.deployments) return [objectKey(obj)];
  const ns = obj.metadata.namespace ?? '';
  if (informer === deps.pods) {
    // Pods count toward the surge and gate Recreate; the sets' status may reach this cache
    // before the pods' own events do, so a pod change wakes the deployment owning its set.
    const ref = controllerRef(obj);
    const rs = ref?.kind === 'ReplicaSet' ? deps.sets.getBy(ns, ref.name ?? '') : undefined;
    const owner = rs && controllerRef(rs);
    return owner?.kind === 'Deployment' ? [`${ns}/${owner.name}`] : [];
  }
  const ref = controllerRef(obj);
  if (ref) return ref.kind === 'Deployment' ? [`${ns}/${ref.name}`] : [];
  return deps.deployments
    .byIndex(IndexName.Namespace, ns)
    .filter((d) => selectorMatches(d.spec.selector, obj.metadata.labels ?? {}))
    .map((d) => objectKey(d));
}

function rolloutDeps(deps: DeploymentDeps): RolloutDeps {
  const podsOf = (rs: ReplicaSet) =>
    deps.pods
      .byIndex(IndexName.Owner, rs.metadata.uid ?? '')
      .filter((p) => controllerRef(p)?.uid === rs.metadata.uid);
  return {
    writer: deps.writer,
    activePodsOf: (rs) => podsOf(rs).filter(isPodActive),
    runningPodsOf: (rs) =>
      podsOf(rs).filter((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded'),
  };
}

export async function reconcileDeployment(
  key: string,
  deps: DeploymentDeps,
): Promise<Result | void> {
  const cached = deps.deployments.get(key);
  if (!cached) return;
  const ns = cached.metadata.namespace ?? '';
  const plan = planClaims(cached, cached.spec.selector, deps.sets.byIndex(IndexName.Namespace, ns));
  const ref = newControllerRef(cached, 'apps/v1', 'Deployment');
  const owned = [
    ...plan.owned,
    ...(await applyClaims(deps.writer, Resources.replicaSets, plan, ref)),
  ];
  const rd = rolloutDeps(deps);
  const w = {
    writer: deps.writer,
    now: deps.now,
    lookup: (n: string, name: string) => deps.sets.getBy(n, name),
  };
  if (cached.metadata.deletionTimestamp) {
    // On its way out (foreground deletion): only keep the counts honest, change no set.
    const newRS = findNewReplicaSet(cached, owned);
    return writeStatus(cached, calculateStatus(cached, owned, newRS, deps.now()), deps);
  }
  const paused = pausedConditions(cached, deps.now());
  const d: Deployment = paused
    ? { ...cached, status: { ...(cached.status ?? {}), conditions: paused } }
    : cached;
  if (d.spec.paused || isScalingEvent(d, owned)) {
    const synced = await syncRevision(d, owned, w);
    await scaleDeployment(deps.writer, synced.deployment, synced.newRS, synced.oldRSs);
    if (d.spec.paused) await cleanupHistory(synced.deployment, synced.oldRSs, deps.writer);
    const status = calculateStatus(synced.deployment, owned, synced.newRS, deps.now());
    return writeStatus(synced.deployment, status, deps);
  }
  return d.spec.strategy?.type === 'Recreate'
    ? recreate(d, owned, deps, rd, w)
    : rolling(d, owned, deps, rd, w);
}

type Writes = Parameters<typeof syncRevision>[2];

async function rolling(
  d: Deployment,
  owned: ReplicaSet[],
  deps: DeploymentDeps,
  rd: RolloutDeps,
  w: Writes,
) {
  const synced = await syncRevision(d, owned, w, (oldRSs) =>
    newRSReplicas(d, oldRSs, undefined, rd),
  );
  const newRS = synced.newRS as ReplicaSet;
  const all = [...synced.oldRSs, newRS];
  const wrote = await rollingStep(synced.deployment, newRS, synced.oldRSs, rd);
  return finish(synced.deployment, all, newRS, synced.oldRSs, wrote, deps);
}

async function recreate(
  d: Deployment,
  owned: ReplicaSet[],
  deps: DeploymentDeps,
  rd: RolloutDeps,
  w: Writes,
) {
  let synced = await syncRevision(d, owned, w);
  const wrote =
    (await scaleDownForRecreate(synced.deployment, synced.oldRSs, rd)) ||
    oldPodsRunning(synced.oldRSs, rd);
  if (!wrote) {
    if (!synced.newRS)
      synced = await syncRevision(synced.deployment, owned, w, () => replicasOf(d));
    const newRS = synced.newRS as ReplicaSet;
    if (specReplicas(newRS) !== replicasOf(d)) {
      await scaleReplicaSet(deps.writer, synced.deployment, newRS, replicasOf(d));
      return finish(synced.deployment, [...synced.oldRSs, newRS], newRS, synced.oldRSs, true, deps);
    }
  }
  const all = [...synced.oldRSs, ...(synced.newRS ? [synced.newRS] : [])];
  return finish(synced.deployment, all, synced.newRS, synced.oldRSs, wrote, deps);
}

async function finish(
  d: Deployment,
  all: ReplicaSet[],
  newRS: ReplicaSet | undefined,
  oldRSs: ReplicaSet[],
  wrote: boolean,
  deps: DeploymentDeps,
): Promise<Result | void> {
  const { status, requeueAfter } = rolloutStatus(d, all, newRS, deps.now());
  if (!wrote && deploymentComplete(d, status)) await cleanupHistory(d, oldRSs, deps.writer);
  await writeStatus(d, status, deps);
  return requeueAfter === undefined ? undefined : { requeueAfter };
}

async function writeStatus(
  d: Deployment,
  status: DeploymentStatus,
  deps: DeploymentDeps,
): Promise<void> {
  const cached = deps.deployments.get(objectKey(d));
  const before = cached?.status ?? {};
  if (canonicalJson(before) === canonicalJson(status)) return;
  await deps.writer.updateStatus(Resources.deployments, { ...structuredClone(d), status });
}
