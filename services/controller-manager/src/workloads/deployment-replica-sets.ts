import { newControllerRef } from '@bosun/controller-kit';
import { BosunError, ErrorCode, isBosunError } from '@bosun/common';
import { Resources } from '../ports/resources';
import type { WritePort } from '../ports/write-port';
import { condition, Reason } from './deployment-status';
import { Annotation, copiedAnnotations, maxSurge, replicasOf, revisionOf } from './deployment-util';
import { getCondition, setCondition } from './conditions';
import { equalIgnoreHash, POD_TEMPLATE_HASH_LABEL, podTemplateHash } from './pod-template-hash';
import type { Deployment, ReplicaSet } from './types';

export interface RevisionSync {
  readonly deployment: Deployment;
  readonly newRS: ReplicaSet | undefined;
  readonly oldRSs: ReplicaSet[];
}

/** The set running the deployment's current template, oldest first if several do. */
export function findNewReplicaSet(
  d: Deployment,
  rss: readonly ReplicaSet[],
): ReplicaSet | undefined {
  return [...rss]
    .sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
    )
    .find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** The annotations a deployment's new set must carry; undefined when it already does. */
function newRSAnnotations(
  d: Deployment,
  rs: ReplicaSet,
  revision: number,
): Record<string, string> | undefined {
  const current = rs.metadata.annotations ?? {};
  const next: Record<string, string> = { ...current, ...copiedAnnotations(d) };
  const old = revisionOf(rs);
  if (old < revision) {
    next[Annotation.Revision] = String(revision);
    if (old > 0) {
      const history = current[Annotation.RevisionHistory];
      next[Annotation.RevisionHistory] = history ? `${history},${old}` : String(old);
    }
  }
  next[Annotation.DesiredReplicas] ??= String(replicasOf(d));
  next[Annotation.MaxReplicas] ??= String(replicasOf(d) + maxSurge(d));
  const same =
    Object.keys(next).length === Object.keys(current).length &&
    Object.entries(next).every(([k, v]) => current[k] === v);
  return same ? undefined : next;
}

export interface ReplicaSetWrites {
  readonly writer: WritePort;
  readonly now: () => number;
  /** Looks a set up in the cache by namespace and name (for a name collision). */
  readonly lookup: (namespace: string, name: string) => ReplicaSet | undefined;
}

/**
 * Kubernetes' getAllReplicaSetsAndSyncRevision: finds (or, with `replicasForNew`, creates) the set
 * for the current template, gives it the next revision, and stamps that revision on the
 * deployment. `replicasForNew` computes the size of a set about to be created.
 */
export async function syncRevision(
  deployment: Deployment,
  owned: readonly ReplicaSet[],
  w: ReplicaSetWrites,
  replicasForNew?: (oldRSs: ReplicaSet[]) => number,
): Promise<RevisionSync> {
  let d = deployment;
  const found = findNewReplicaSet(d, owned);
  const oldRSs = owned.filter((rs) => rs !== found);
  const revision = Math.max(0, ...oldRSs.map(revisionOf)) + 1;
  let newRS = found;
  if (found) {
    const annotations = newRSAnnotations(d, found, revision);
    const minReady = d.spec.minReadySeconds ?? 0;
    if (annotations || (found.spec.minReadySeconds ?? 0) !== minReady) {
      const copy = structuredClone(found);
      copy.metadata.annotations = annotations ?? copy.metadata.annotations;
      copy.spec.minReadySeconds = minReady;
      newRS = await w.writer.update(Resources.replicaSets, copy);
    }
    if (
      !getCondition(d.status?.conditions, 'Progressing') &&
      d.spec.progressDeadlineSeconds !== undefined
    ) {
      d = withProgressing(
        d,
        Reason.FoundNewRS,
        `Found new replica set "${found.metadata.name ?? ''}"`,
        w.now(),
      );
    }
  } else if (replicasForNew) {
    newRS = await createNewReplicaSet(d, revision, replicasForNew(oldRSs), w);
    d = withProgressing(
      d,
      Reason.NewRSCreated,
      `Created new replica set "${newRS.metadata.name ?? ''}"`,
      w.now(),
    );
  }
  if (newRS && d.metadata.annotations?.[Annotation.Revision] !== String(revisionOf(newRS))) {
    const copy = structuredClone(d);
    copy.metadata.annotations = {
      ...(copy.metadata.annotations ?? {}),
      [Annotation.Revision]: String(revisionOf(newRS)),
    };
    const updated = await w.writer.update(Resources.deployments, copy);
    // Keep the locally set condition: status goes through /status at the end of the sync.
    d = { ...updated, status: d.status };
  }
  return { deployment: d, newRS, oldRSs };
}

function withProgressing(d: Deployment, reason: string, message: string, now: number): Deployment {
  const conds = setCondition(
    d.status?.conditions ?? [],
    condition('Progressing', 'True', reason, message, now),
  );
  return { ...d, status: { ...(d.status ?? {}), conditions: conds } };
}

async function createNewReplicaSet(
  d: Deployment,
  revision: number,
  replicas: number,
  w: ReplicaSetWrites,
): Promise<ReplicaSet> {
  const hash = podTemplateHash(d.spec.template, d.status?.collisionCount);
  const template = structuredClone(d.spec.template);
  template.metadata = { ...(template.metadata ?? {}) };
  template.metadata.labels = {
    ...(template.metadata.labels ?? {}),
    [POD_TEMPLATE_HASH_LABEL]: hash,
  };
  const selector = structuredClone(d.spec.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const ns = d.metadata.namespace ?? '';
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name ?? ''}-${hash}`,
      namespace: ns,
      labels: { ...template.metadata.labels },
      annotations: {
        ...copiedAnnotations(d),
        [Annotation.Revision]: String(revision),
        [Annotation.DesiredReplicas]: String(replicasOf(d)),
        [Annotation.MaxReplicas]: String(replicasOf(d) + maxSurge(d)),
      },
      ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
    },
    spec: { replicas, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
  try {
    return await w.writer.create(Resources.replicaSets, rs);
  } catch (e) {
    if (!isBosunError(e, ErrorCode.AlreadyExists)) throw e;
    const existing = w.lookup(ns, rs.metadata.name ?? '');
    const ours = existing?.metadata.ownerReferences?.some(
      (r) => r.controller && r.uid === d.metadata.uid,
    );
    if (existing && ours && equalIgnoreHash(existing.spec.template, d.spec.template))
      return existing;
    // A different template hashed to the same name: salt the hash and try again.
    const copy = structuredClone(d);
    copy.status = { ...(copy.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
    await w.writer.updateStatus(Resources.deployments, copy);
    throw new BosunError(
      ErrorCode.Conflict,
      `hash collision for ReplicaSet ${rs.metadata.name ?? ''}`,
      { cause: e },
    );
  }
}
