import type { StoredObject } from '@bosun/store';
import type { ApiContext } from '../handlers/context';
import type { OperationRequest } from './operation';
import { writeUpdate } from './write-update';

/**
 * Replaces an object's status through its status subresource (req.subresource 'status'): only
 * status changes. `resourceVersion` is a precondition when given; empty = last write wins, as a
 * kubelet's status patch.
 */
export async function writeStatus(
  ctx: ApiContext,
  req: OperationRequest,
  status: Record<string, unknown>,
  resourceVersion: string,
): Promise<StoredObject> {
  const { object } = await writeUpdate(ctx, { ...req, subresource: 'status' }, (current) => ({
    ...structuredClone(current),
    metadata: { ...current.metadata, resourceVersion: resourceVersion || undefined },
    status: structuredClone(status),
  }));
  return object;
}
