import { prepareForCreate } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import { Operation } from '../admission/admission';
import type { ApiContext } from '../handlers/context';
import { withTypeMeta } from '../handlers/context';
import { checkNamespace } from './object-of-kind';
import type { OperationRequest, WriteResult } from './operation';

/** Fields a client may not set: the server owns them. */
function resetServerFields(obj: StoredObject): void {
  const m = obj.metadata;
  for (const f of [
    'resourceVersion',
    'uid',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'managedFields',
    'selfLink',
  ] as const) {
    delete m[f];
  }
}

/** Creates `object` (already checked to be of `req.kind`): admission, then one transaction. */
export async function createObject(
  ctx: ApiContext,
  req: OperationRequest,
  object: StoredObject,
): Promise<WriteResult> {
  const obj = structuredClone(object);
  checkNamespace(req.kind, req.namespace, obj);
  resetServerFields(obj);
  prepareForCreate(req.kind, obj);
  if (req.kind.namespaced) await ctx.namespaces.require(req.namespace);
  const warnings = await ctx.admission.admit({
    operation: Operation.Create,
    kind: req.kind,
    subresource: '',
    user: req.user,
    object: obj,
    fieldValidation: req.fieldValidation,
  });
  const created = await ctx.store.create(req.kind.type, obj, {
    actor: req.user.name,
    dryRun: req.dryRun,
  });
  return { object: withTypeMeta(req.kind, created), warnings };
}
