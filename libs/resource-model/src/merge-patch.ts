import { badRequest } from './api-errors';
import { isObj } from './object-access';

/** RFC 7386 JSON merge patch: objects merge recursively, null deletes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(Object.hasOwn(out, k) ? out[k] : undefined, v);
  }
  return out;
}

/** The merge patch that turns `from` into `to` (arrays and scalars are replaced whole). */
export function createMergePatch(from: unknown, to: unknown): unknown {
  if (!isObj(from) || !isObj(to)) return structuredClone(to);
  const patch: Record<string, unknown> = {};
  // Own keys only: a label called `constructor` must not look present through the prototype.
  for (const k of Object.keys(from)) if (!Object.hasOwn(to, k)) patch[k] = null;
  for (const [k, v] of Object.entries(to)) {
    if (!Object.hasOwn(from, k)) patch[k] = structuredClone(v);
    else if (JSON.stringify(from[k]) !== JSON.stringify(v)) patch[k] = createMergePatch(from[k], v);
  }
  return patch;
}

/** A patch body must be a JSON object for merge and strategic merge patches. */
export function requireObjectPatch(patch: unknown): Record<string, unknown> {
  if (!isObj(patch)) throw badRequest('the patch body must be a JSON object');
  return patch;
}
