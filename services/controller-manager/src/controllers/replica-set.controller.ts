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
import { podsToDelete } from '../workloads/deletion-rank';
import { Expectations } from '../workloads/expectations';
import { availableAt, isPodActive, isPodAvailable, isPodReady } from '../workloads/pod-state';
import { podFromTemplate } from '../workloads/pod-from-template';
import type { Pod, ReplicaSet, ReplicaSetStatus } from '../workloads/types';
import type { ControllerContext } from './controller-context';
import { kitOptions } from './controller-options';

/** At most this many pod creations or deletions per reconcile (Kubernetes' burstReplicas). */
export const BURST_REPLICAS = 500;

const isRsRef = (pod: KubeObject) => {
  const ref = controllerRef(pod);
  return ref?.kind === 'ReplicaSet' ? ref : undefined;
};

/**
 * ReplicaSet: exactly spec.replicas active pods that match its selector and name it as their
 * controller. Expectations make "exactly" hold while the cache lags behind our own writes.
 */
export function replicaSetController(ctx: ControllerContext): Controller {
  const sets = ctx.informers.for<ReplicaSet>(Resources.replicaSets);
  const pods = ctx.informers.for<Pod>(Resources.pods);
  const expectations = new Expectations(() => (ctx.clock ?? Date).now());
  observePods(pods, expectations);
  const now = () => (ctx.clock ?? Date).now();
  return defineController({
    ...kitOptions(ctx, 'replicaset'),
    informers: [sets, pods],
    keyOf: (obj, informer) =>
      (informer as unknown) === sets ? objectKey(obj) : podKeys(obj as Pod, sets),
    reconcile: (key) =>
      reconcileReplicaSet(key, { sets, pods, expectations, writer: ctx.writer, now }),
  });
}

/** A pod wakes its controller, or (an orphan) every set in its namespace that would adopt it. */
function podKeys(pod: Pod, sets: Informer<ReplicaSet>): string[] {
  const ns = pod.metadata.namespace ?? '';
  const ref = isRsRef(pod);
  if (ref) return [`${ns}/${ref.name}`];
  if (controllerRef(pod)) return [];
  return sets
    .byIndex(IndexName.Namespace, ns)
    .filter((rs) => selectorMatches(rs.spec.selector, pod.metadata.labels ?? {}))
    .map((rs) => objectKey(rs));
}

function observePods(pods: Informer<Pod>, expectations: Expectations): void {
  const rsKey = (pod: Pod) => {
    const ref = isRsRef(pod);
    return ref ? `${pod.metadata.namespace ?? ''}/${ref.name}` : undefined;
  };
  pods.addEventHandler({
    onAdd: (pod) => {
      const key = rsKey(pod);
      if (key && pod.metadata.deletionTimestamp === undefined) expectations.creationObserved(key);
    },
    onUpdate: (old, pod) => {
      const key = rsKey(pod);
      if (key && pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp)
        expectations.deletionObserved(key, objectKey(pod));
    },
    onDelete: (pod) => {
      const key = rsKey(pod);
      if (key) expectations.deletionObserved(key, objectKey(pod));
    },
  });
}

export interface ReplicaSetDeps {
  readonly sets: Informer<ReplicaSet>;
  readonly pods: Informer<Pod>;
  readonly expectations: Expectations;
  readonly writer: WritePort;
  readonly now: () => number;
}

export async function reconcileReplicaSet(key: string, d: ReplicaSetDeps): Promise<Result | void> {
  const rs = d.sets.get(key);
  if (!rs) {
    d.expectations.forget(key);
    return;
  }
  const ns = rs.metadata.namespace ?? '';
  const candidates = d.pods.byIndex(IndexName.Namespace, ns).filter(isPodActive);
  const plan = planClaims(rs, rs.spec.selector, candidates);
  const ref = newControllerRef(rs, 'apps/v1', 'ReplicaSet');
  const adopted = await applyClaims(d.writer, Resources.pods, plan, ref);
  const owned = [...plan.owned, ...adopted];
  if (d.expectations.satisfied(key) && rs.metadata.deletionTimestamp === undefined) {
    await manageReplicas(key, rs, owned, d);
  }
  return updateStatus(rs, owned, d);
}

async function manageReplicas(key: string, rs: ReplicaSet, owned: Pod[], d: ReplicaSetDeps) {
  const diff = owned.length - (rs.spec.replicas ?? 1);
  if (diff < 0) {
    const count = Math.min(-diff, BURST_REPLICAS);
    d.expectations.expectCreations(key, count);
    await createInBatches(key, rs, count, d);
  } else if (diff > 0) {
    const victims = podsToDelete(owned, Math.min(diff, BURST_REPLICAS));
    d.expectations.expectDeletions(
      key,
      victims.map((p) => objectKey(p)),
    );
    await Promise.all(
      victims.map(async (pod) => {
        try {
          await d.writer.delete(
            Resources.pods,
            pod.metadata.namespace ?? '',
            pod.metadata.name ?? '',
          );
        } catch (e) {
          // Not deleted: this deletion will never be observed.
          d.expectations.deletionObserved(key, objectKey(pod));
          throw e;
        }
      }),
    );
  }
}

/**
 * Slow start, as Kubernetes does: batches of 1, 2, 4... so a failing template (quota, invalid)
 * costs one error, not hundreds. Creations never attempted are taken off the expectations.
 */
async function createInBatches(key: string, rs: ReplicaSet, count: number, d: ReplicaSetDeps) {
  let done = 0;
  for (let batch = 1; done < count; batch *= 2) {
    const size = Math.min(batch, count - done);
    const results = await Promise.allSettled(
      Array.from({ length: size }, () =>
        d.writer.create(
          Resources.pods,
          podFromTemplate(rs, rs.spec.template, 'apps/v1', 'ReplicaSet'),
        ),
      ),
    );
    done += size;
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) {
      for (let i = 0; i < failed.length + (count - done); i++) d.expectations.creationObserved(key);
      throw failed[0].reason;
    }
  }
}

function computeStatus(rs: ReplicaSet, owned: Pod[], now: number): ReplicaSetStatus {
  const templateLabels = rs.spec.template?.metadata?.labels ?? {};
  const minReady = rs.spec.minReadySeconds ?? 0;
  const status: ReplicaSetStatus = {
    replicas: owned.length,
    fullyLabeledReplicas: owned.filter((p) =>
      Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v),
    ).length,
    readyReplicas: owned.filter(isPodReady).length,
    availableReplicas: owned.filter((p) => isPodAvailable(p, minReady, now)).length,
    observedGeneration: rs.metadata.generation,
  };
  if (rs.status?.conditions?.length) status.conditions = rs.status.conditions;
  return status;
}

const STATUS_FIELDS = [
  'replicas',
  'fullyLabeledReplicas',
  'readyReplicas',
  'availableReplicas',
  'observedGeneration',
] as const;

async function updateStatus(
  rs: ReplicaSet,
  owned: Pod[],
  d: ReplicaSetDeps,
): Promise<Result | void> {
  const now = d.now();
  const status = computeStatus(rs, owned, now);
  const old: Partial<ReplicaSetStatus> = rs.status ?? {};
  if (STATUS_FIELDS.some((f) => (old[f] ?? 0) !== (status[f] ?? 0))) {
    const next: ReplicaSet = { ...structuredClone(rs), status };
    await d.writer.updateStatus(Resources.replicaSets, next);
  }
  // A ready pod turns available after minReadySeconds without any event: look again then.
  const minReady = rs.spec.minReadySeconds ?? 0;
  const next = owned
    .map((p) => availableAt(p, minReady, now))
    .filter((t): t is number => t !== undefined);
  return next.length ? { requeueAfter: Math.min(...next) - now + 1 } : undefined;
}
