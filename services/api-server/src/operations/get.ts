import type { StoredObject } from '@bosun/store';
import { type ApiContext, withTypeMeta } from '../handlers/context';
import type { OperationRequest } from './operation';

/** Reads one object (NotFound when absent). */
export async function getObject(ctx: ApiContext, req: OperationRequest): Promise<StoredObject> {
  return withTypeMeta(req.kind, await ctx.store.get(req.kind.type, req.namespace, req.name));
}
