import { badRequest } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import type { ApiContext } from '../handlers/context';
import { checkNamespace } from './object-of-kind';
import type { OperationRequest, WriteResult } from './operation';
import { writeUpdate } from './write-update';

/** Replaces the object (or its status); `metadata.resourceVersion` is the precondition. */
export async function updateObject(
  ctx: ApiContext,
  req: OperationRequest,
  object: StoredObject,
): Promise<WriteResult> {
  const obj = structuredClone(object);
  if (obj.metadata.name !== undefined && obj.metadata.name !== req.name) {
    throw badRequest(
      `the name of the object (${String(obj.metadata.name)}) does not match the name on the URL (${req.name})`,
    );
  }
  checkNamespace(req.kind, req.namespace, obj);
  return writeUpdate(ctx, req, () => structuredClone(obj));
}
