import { text } from './object-access';
import { BosunError, ErrorCode } from '@bosun/common';
import { applyPatch, type Operation, validate } from 'fast-json-patch';
import { badRequest } from './api-errors';

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/**
 * RFC 6902 JSON patch. A malformed patch is BadRequest (400); a well-formed one that cannot apply
 * (missing path, failed test) is 422, as the Kubernetes API server answers.
 */
export function applyJsonPatch<T>(doc: T, patch: unknown): T {
  if (!Array.isArray(patch)) throw badRequest('a JSON patch must be a JSON array of operations');
  for (const op of patch) {
    if (typeof op !== 'object' || op === null || !OPS.has(text((op as { op?: unknown }).op))) {
      throw badRequest(`invalid JSON patch operation: ${JSON.stringify(op)}`);
    }
  }
  const ops = patch as Operation[];
  const structural = validate(ops, undefined);
  if (
    structural !== undefined &&
    structural.name !== 'OPERATION_PATH_UNRESOLVABLE' &&
    structural.name !== 'OPERATION_PATH_CANNOT_ADD' &&
    structural.name !== 'OPERATION_FROM_UNRESOLVABLE'
  ) {
    throw badRequest(`invalid JSON patch: ${structural.message.split('\n')[0]}`);
  }
  try {
    return applyPatch(structuredClone(doc), ops, true, true).newDocument;
  } catch (e) {
    const detail = e instanceof Error ? e.message.split('\n')[0] : text(e);
    throw new BosunError(
      ErrorCode.Invalid,
      `the server rejected our request due to an error in our request: ${detail}`,
      {
        cause: e,
      },
    );
  }
}
