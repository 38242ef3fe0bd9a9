import { BosunError, ErrorCode } from '@bosun/common';
import { applyJsonPatch } from './json-patch';
import { applyMergePatch, requireObjectPatch } from './merge-patch';
import { applyStrategicMergePatch, strategicPatchUnsupported } from './strategic-merge-patch';

/** The patch content types of `PATCH` requests. */
export const PatchType = {
  Json: 'application/json-patch+json',
  Merge: 'application/merge-patch+json',
  Strategic: 'application/strategic-merge-patch+json',
  Apply: 'application/apply-patch+yaml',
} as const;
export type PatchType = (typeof PatchType)[keyof typeof PatchType];

/**
 * Applies a patch of any supported type. `schemaName` is the kind's OpenAPI definition (from the
 * registry); without one, strategic merge patches are refused as the real server refuses them
 * for custom resources. The result is not validated here: the caller validates it as an update.
 */
export function applyPatchOfType<T extends object>(
  type: string,
  original: T,
  patch: unknown,
  schemaName?: string,
  kind = 'this resource',
): T {
  switch (type.split(';')[0]?.trim()) {
    case PatchType.Json:
      return applyJsonPatch(original, patch);
    case PatchType.Merge:
      return applyMergePatch(original, requireObjectPatch(patch)) as T;
    case PatchType.Strategic:
      if (schemaName === undefined) throw strategicPatchUnsupported(kind);
      return applyStrategicMergePatch(original, patch, schemaName);
    default:
      throw new BosunError(
        ErrorCode.UnsupportedMediaType,
        `the body of the request was in an unknown format - accepted media types include: ${PatchType.Json}, ${PatchType.Merge}, ${PatchType.Strategic}`,
      );
  }
}
