import { badRequest, conflict } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import { type ApiContext, withTypeMeta } from '../handlers/context';
import type { OperationRequest } from './operation';

export interface BindTarget {
  readonly nodeName: string;
  /** Preconditions: bind only this pod (uid) in this version. */
  readonly uid?: string;
  readonly resourceVersion?: string;
}

const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * Assigns a pod to a node, once: a pod already bound, being deleted, or not matching the
 * preconditions is a Conflict. Sets spec.nodeName and the PodScheduled condition.
 */
export async function bindPod(
  ctx: ApiContext,
  req: OperationRequest,
  target: BindTarget,
): Promise<StoredObject> {
  const { kind, name } = req;
  if (target.nodeName === '') throw badRequest('a Binding needs target.name (the node)');
  const bound = await ctx.store.guaranteedUpdate(
    kind.type,
    req.namespace,
    name,
    (pod) => {
      const spec = (pod.spec ?? {}) as Record<string, unknown>;
      if (target.uid && target.uid !== pod.metadata.uid)
        throw conflict(
          kind,
          name,
          `the pod's uid is ${String(pod.metadata.uid)}, not ${target.uid}`,
        );
      if (target.resourceVersion && target.resourceVersion !== pod.metadata.resourceVersion)
        throw conflict(kind, name);
      if (pod.metadata.deletionTimestamp)
        throw conflict(kind, name, 'pod is being deleted, cannot be assigned to a host');
      if (spec.nodeName)
        throw conflict(
          kind,
          name,
          `pod ${name} is already assigned to node "${String(spec.nodeName)}"`,
        );
      pod.spec = { ...spec, nodeName: target.nodeName };
      const status = (pod.status ?? {}) as { conditions?: Record<string, unknown>[] };
      const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      conditions.push({
        type: 'PodScheduled',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: now(),
      });
      pod.status = { ...status, conditions };
      return pod;
    },
    { actor: req.user.name, dryRun: req.dryRun },
  );
  return withTypeMeta(kind, bound);
}
