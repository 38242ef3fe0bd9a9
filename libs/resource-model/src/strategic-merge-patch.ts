import { BosunError, ErrorCode } from '@bosun/common';
import { badRequest } from './api-errors';
import { type JsonSchema, REF_PREFIX } from './json-schema';
import { requireObjectPatch } from './merge-patch';
import { isObj, type Obj, text } from './object-access';
import { resolveSchema } from './schema-registry';

/**
 * Strategic merge patch, kubectl apply's default: like a merge patch, except that lists whose
 * schema declares `x-kubernetes-patch-strategy: merge` merge element-wise (objects by their
 * `x-kubernetes-patch-merge-key`, primitives as a set), and the directives `$patch`,
 * `$retainKeys`, `$deleteFromPrimitiveList/<f>` and `$setElementOrder/<f>` steer the merge.
 */
type Schema = JsonSchema | undefined;

const DELETE_FROM = '$deleteFromPrimitiveList/';
const ORDER = '$setElementOrder/';
const same = (a: unknown, b: unknown): boolean =>
  a === b || JSON.stringify(a) === JSON.stringify(b);

function childSchema(parent: Schema, key: string): Schema {
  const s = resolveSchema(parent);
  const p =
    s?.properties !== undefined && Object.hasOwn(s.properties, key) ? s.properties[key] : undefined;
  if (p !== undefined) return p;
  return typeof s?.additionalProperties === 'object' ? s.additionalProperties : undefined;
}

/** Removes every directive from a value that replaces what was there. */
function strip(v: unknown): unknown {
  if (Array.isArray(v))
    return v
      .filter((e) => !(isObj(e) && e['$patch'] !== undefined && Object.keys(e).length === 1))
      .map(strip);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = strip(x);
  return out;
}

function mergeKeyOf(list: Schema): { merge: boolean; mergeKey?: string; items: Schema } {
  const strategy = list?.['x-kubernetes-patch-strategy'] ?? '';
  const mergeKey = list?.['x-kubernetes-patch-merge-key'];
  return {
    merge: strategy.split(',').includes('merge'),
    ...(mergeKey === undefined ? {} : { mergeKey }),
    items: resolveSchema(list)?.items,
  };
}

function mergeObjectList(
  orig: unknown[],
  patch: unknown[],
  mergeKey: string,
  items: Schema,
): unknown[] {
  const out = orig.map((e) => structuredClone(e));
  for (const e of patch) {
    if (!isObj(e))
      throw badRequest(
        `a list merged by "${mergeKey}" can only hold objects, got ${JSON.stringify(e)}`,
      );
    const key = e[mergeKey];
    if (key === undefined) {
      throw badRequest(
        `map: ${JSON.stringify(e)} does not contain declared merge key: ${mergeKey}`,
      );
    }
    const idx = out.findIndex((o) => isObj(o) && same(o[mergeKey], key));
    if (e['$patch'] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
    } else if (idx >= 0) {
      out[idx] = mergeMap(out[idx] as Obj, e, items) ?? {};
    } else {
      out.push(mergeMap({}, e, items) ?? {});
    }
  }
  return out;
}

function mergeList(orig: unknown[], patch: unknown[], schema: Schema): unknown[] {
  const { merge, mergeKey, items } = mergeKeyOf(schema);
  const replace = patch.some((e) => isObj(e) && e['$patch'] === 'replace');
  if (!merge || replace) return strip(patch) as unknown[];
  if (mergeKey !== undefined) return mergeObjectList(orig, patch, mergeKey, items);
  const out = [...orig];
  for (const v of patch) if (!out.some((o) => same(o, v))) out.push(v);
  return out;
}

/**
 * Orders a merged list by `$setElementOrder`. Elements the directive names come in its order;
 * elements it does not name (added by someone else) keep their place relative to the original
 * list: each is emitted before the first named element that followed it there.
 */
function setElementOrder(
  list: unknown[],
  order: unknown,
  original: unknown[],
  schema: Schema,
): unknown[] {
  if (!Array.isArray(order)) throw badRequest('$setElementOrder must be a list');
  const { mergeKey } = mergeKeyOf(schema);
  const keyOf = (e: unknown): unknown => (mergeKey !== undefined && isObj(e) ? e[mergeKey] : e);
  const named: unknown[] = [];
  for (const o of order) {
    const found = list.find((e) => same(keyOf(e), keyOf(o)));
    if (found !== undefined && !named.includes(found)) named.push(found);
  }
  const serverIndex = (e: unknown): number => original.findIndex((x) => same(keyOf(x), keyOf(e)));
  const others = list
    .filter((e) => !named.includes(e))
    .sort((a, b) => serverIndex(a) - serverIndex(b));
  const out: unknown[] = [];
  for (const e of named) {
    const at = serverIndex(e);
    while (at >= 0 && others.length > 0 && serverIndex(others[0]) < at) out.push(others.shift());
    out.push(e);
  }
  return [...out, ...others];
}

function applyDirectives(out: Obj, patch: Obj, orig: Obj, schema: Schema): void {
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(DELETE_FROM)) {
      const field = k.slice(DELETE_FROM.length);
      if (!Array.isArray(v)) throw badRequest(`${k} must be a list`);
      if (Array.isArray(out[field]))
        out[field] = (out[field] as unknown[]).filter((x) => !v.some((d) => same(d, x)));
    }
  }
  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith(ORDER)) continue;
    const field = k.slice(ORDER.length);
    if (Array.isArray(out[field])) {
      const before = Array.isArray(orig[field]) ? (orig[field] as unknown[]) : [];
      out[field] = setElementOrder(out[field] as unknown[], v, before, childSchema(schema, field));
    }
  }
  const retain = patch['$retainKeys'];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw badRequest('$retainKeys must be a list');
    const stray = Object.keys(patch).find(
      (k) => !k.startsWith('$') && patch[k] !== null && !retain.includes(k),
    );
    if (stray !== undefined)
      throw badRequest(`$retainKeys does not include the patched field ${JSON.stringify(stray)}`);
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }
}

function mergeMap(orig: Obj, patch: Obj, schema: Schema): Obj | undefined {
  const directive = patch['$patch'];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return strip(patch) as Obj;
  if (directive !== undefined && directive !== 'merge')
    throw badRequest(`unknown patch type: ${text(directive)}`);
  const out: Obj = { ...orig };
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) {
      if (k === '$patch' || k === '$retainKeys' || k.startsWith(DELETE_FROM) || k.startsWith(ORDER))
        continue;
      throw badRequest(`unknown strategic merge patch directive: ${k}`);
    }
    if (v === null) {
      delete out[k];
    } else if (isObj(v)) {
      const merged = mergeMap(isObj(out[k]) ? (out[k] as Obj) : {}, v, childSchema(schema, k));
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else if (Array.isArray(v)) {
      out[k] = mergeList(
        Array.isArray(out[k]) ? (out[k] as unknown[]) : [],
        v,
        childSchema(schema, k),
      );
    } else {
      out[k] = v;
    }
  }
  applyDirectives(out, patch, orig, schema);
  return out;
}

/**
 * Applies a strategic merge patch to `original` using the merge keys of the OpenAPI definition
 * `schemaName` (e.g. `io.k8s.api.apps.v1.Deployment`). Malformed patches are BadRequest.
 */
export function applyStrategicMergePatch<T extends object>(
  original: T,
  patch: unknown,
  schemaName: string,
): T {
  const p = requireObjectPatch(patch);
  return (mergeMap(structuredClone(original) as Obj, p, { $ref: REF_PREFIX + schemaName }) ??
    {}) as T;
}

/** Kinds without a schema (custom resources) cannot take strategic merge patches (415). */
export const strategicPatchUnsupported = (kind: string): BosunError =>
  new BosunError(
    ErrorCode.UnsupportedMediaType,
    `strategic merge patch is not supported for ${kind}; use a merge or JSON patch`,
  );
