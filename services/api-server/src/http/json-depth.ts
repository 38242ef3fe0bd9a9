import { BosunError, ErrorCode } from '@bosun/common';

/**
 * Deepest nesting of objects and arrays a request body may have. Go's encoding/json (and so
 * kube-apiserver) stops at 10000; Bosun stops earlier because its later steps (validation,
 * patches, structuredClone, the store's JSON) recurse on the JS stack, and no Kubernetes object
 * comes near this depth.
 */
export const MAX_JSON_DEPTH = 1000;

export function tooDeep(limit: number): BosunError {
  return new BosunError(
    ErrorCode.BadRequest,
    `the request body is nested too deeply: more than ${limit} levels of objects and arrays`,
  );
}

/**
 * Throws 400 when JSON text nests deeper than `limit`. Scans the text once, without recursion and
 * before parsing, so a hostile body costs one pass and never reaches a recursive step.
 */
export function checkJsonTextDepth(text: string, limit = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) throw tooDeep(limit);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/** Throws 400 when a decoded value nests deeper than `limit` (iterative: YAML, protobuf). */
export function checkValueDepth(value: unknown, limit = MAX_JSON_DEPTH): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > limit) throw tooDeep(limit);
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
}
