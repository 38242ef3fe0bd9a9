import {
  conflict,
  prepareForStatusUpdate,
  prepareForUpdate,
  type KindInfo,
} from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import { Operation } from '../admission/admission';
import { type ApiContext, withTypeMeta } from '../handlers/context';
import { finishDeletionIfDue } from './delete';
import type { OperationRequest, WriteResult } from './operation';

/**
 * The object an update or patch stores, by resource-model's write strategies: through the main
 * resource status stays as stored and generation follows the spec; through `status` only status
 * changes. Identity (name, namespace, resourceVersion) is the stored object's.
 */
export function mergeForWrite(
  kind: KindInfo,
  current: StoredObject,
  incoming: StoredObject,
  sub: string,
): StoredObject {
  const next: StoredObject = {
    ...structuredClone(incoming),
    apiVersion: kind.apiVersion,
    kind: kind.kind,
  };
  if (sub === 'status') prepareForStatusUpdate(kind, next, current);
  else prepareForUpdate(kind, next, current);
  const cm = current.metadata;
  next.metadata = { ...next.metadata, name: cm.name, resourceVersion: cm.resourceVersion };
  if (cm.namespace === undefined) delete next.metadata.namespace;
  else next.metadata.namespace = cm.namespace;
  return next;
}

/**
 * Stores `mutate(current)` through admission with optimistic concurrency: a resourceVersion on
 * the mutated object is a precondition (Conflict when stale); without one the write retries on
 * races. An object whose last finalizer this write removed is deleted right after.
 */
export async function writeUpdate(
  ctx: ApiContext,
  req: OperationRequest,
  mutate: (current: StoredObject) => StoredObject,
): Promise<WriteResult> {
  const { kind, name, subresource: sub } = req;
  let warnings: string[] = [];
  const updated = await ctx.store.guaranteedUpdate(
    kind.type,
    req.namespace,
    name,
    async (current) => {
      const incoming = mutate(current);
      const wanted = incoming.metadata.resourceVersion;
      if (wanted && wanted !== current.metadata.resourceVersion) throw conflict(kind, name);
      const next = mergeForWrite(kind, current, incoming, sub);
      warnings = await ctx.admission.admit({
        operation: Operation.Update,
        kind,
        subresource: sub,
        user: req.user,
        object: next,
        oldObject: current,
        fieldValidation: req.fieldValidation,
      });
      return next;
    },
    { actor: req.user.name, dryRun: req.dryRun },
  );
  const result = req.dryRun ? updated : await finishDeletionIfDue(ctx, req, updated);
  return { object: withTypeMeta(kind, result), warnings };
}
