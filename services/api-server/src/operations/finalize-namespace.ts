import { badRequest } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import type { ApiContext } from '../handlers/context';
import type { OperationRequest } from './operation';
import { writeUpdate } from './write-update';

/**
 * PUT namespaces/<name>/finalize: replaces only spec.finalizers (the namespace controller removes
 * `kubernetes` once the namespace is empty). A terminating namespace left with no finalizer is
 * deleted by the same write. `resourceVersion` in the body is a precondition.
 */
export async function finalizeNamespace(
  ctx: ApiContext,
  req: OperationRequest,
  body: StoredObject,
): Promise<StoredObject> {
  const spec = body.spec as { finalizers?: unknown } | undefined;
  const finalizers = spec?.finalizers ?? [];
  if (!Array.isArray(finalizers) || finalizers.some((f) => typeof f !== 'string')) {
    throw badRequest('spec.finalizers must be a list of strings');
  }
  const { object } = await writeUpdate(ctx, { ...req, subresource: 'finalize' }, (current) => ({
    ...structuredClone(current),
    metadata: {
      ...current.metadata,
      resourceVersion: body.metadata?.resourceVersion || undefined,
    },
    spec: { ...((current.spec as object | undefined) ?? {}), finalizers: [...finalizers] },
  }));
  return object;
}
