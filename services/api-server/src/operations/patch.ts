import { BosunError, ErrorCode } from '@bosun/common';
import { applyPatchOfType, badRequest } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import type { ApiContext } from '../handlers/context';
import { isPlainObject } from './object-of-kind';
import type { OperationRequest, WriteResult } from './operation';
import { writeUpdate } from './write-update';

/** The patch media types Bosun applies (Kubernetes' PATCH Content-Types). */
export const PatchMediaType = {
  Json: 'application/json-patch+json',
  Merge: 'application/merge-patch+json',
  Strategic: 'application/strategic-merge-patch+json',
  Apply: 'application/apply-patch+yaml',
} as const;

/** Applies a JSON, merge or strategic merge patch (resource-model) to `current`. */
export function applyPatch(
  mediaType: string,
  current: StoredObject,
  patch: unknown,
  target?: { readonly schema: string; readonly kind: string },
): StoredObject {
  if (mediaType === PatchMediaType.Apply) {
    throw new BosunError(
      ErrorCode.UnsupportedMediaType,
      'server-side apply (application/apply-patch+yaml) is not supported by Bosun yet; use client-side kubectl apply',
    );
  }
  const out: unknown = applyPatchOfType(mediaType, current, patch, target?.schema, target?.kind);
  if (!isPlainObject(out) || !isPlainObject(out.metadata)) {
    throw badRequest('the patched object must be an object with metadata');
  }
  return out as StoredObject;
}

/** Refuses patch types Bosun does not apply (415), before anything is read or decoded. */
export function checkPatchType(mediaType: string): void {
  if (mediaType === PatchMediaType.Apply || !mediaType.endsWith('patch+json'))
    applyPatch(mediaType, { metadata: {} }, {});
}

/** Patches the object (or its status) through the same update path as a replace. */
export async function patchObject(
  ctx: ApiContext,
  req: OperationRequest,
  mediaType: string,
  patch: unknown,
): Promise<WriteResult> {
  checkPatchType(mediaType);
  return writeUpdate(ctx, req, (current) => {
    const next = applyPatch(mediaType, current, patch, req.kind);
    if (next.metadata.name !== current.metadata.name)
      throw badRequest('metadata.name cannot be changed by a patch');
    return next;
  });
}
