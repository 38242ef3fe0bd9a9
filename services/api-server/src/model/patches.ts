import { BosunError, ErrorCode } from '@bosun/common';

type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);
const invalidPatch = (msg: string): BosunError => new BosunError(ErrorCode.BadRequest, msg);

/** RFC 7386 JSON merge patch. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return clone(patch);
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

/** RFC 6902 JSON patch; failed `test` and bad paths are client errors. */
export function applyJsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw invalidPatch('a JSON patch must be an array of operations');
  let doc = clone(target);
  for (const op of ops) {
    if (!isObj(op) || typeof op.op !== 'string' || typeof op.path !== 'string') {
      throw invalidPatch(`invalid JSON patch operation: ${JSON.stringify(op)}`);
    }
    doc = applyOne(doc, op);
  }
  return doc;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw invalidPatch(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(doc: Json, parts: string[]): Json {
  let cur = doc;
  for (const p of parts) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObj(cur) && Object.prototype.hasOwnProperty.call(cur, p)) cur = cur[p];
    else throw invalidPatch(`path /${parts.join('/')} does not exist`);
    if (cur === undefined) throw invalidPatch(`path /${parts.join('/')} does not exist`);
  }
  return cur;
}

function parentOf(doc: Json, parts: string[]): { parent: Obj | Json[]; key: string } {
  if (parts.length === 0) throw invalidPatch('cannot address the document root here');
  const parent = getAt(doc, parts.slice(0, -1));
  if (!isObj(parent) && !Array.isArray(parent)) {
    throw invalidPatch(`parent of /${parts.join('/')} is not a container`);
  }
  return { parent, key: parts[parts.length - 1] };
}

function arrayIndex(arr: Json[], key: string, forAdd: boolean): number {
  if (forAdd && key === '-') return arr.length;
  const i = Number(key);
  const max = forAdd ? arr.length : arr.length - 1;
  if (!/^\d+$/.test(key) || i > max) throw invalidPatch(`array index "${key}" out of range`);
  return i;
}

function add(doc: Json, parts: string[], value: Json): Json {
  if (parts.length === 0) return clone(value);
  const { parent, key } = parentOf(doc, parts);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, clone(value));
  else parent[key] = clone(value);
  return doc;
}

function remove(doc: Json, parts: string[]): Json {
  const { parent, key } = parentOf(doc, parts);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false), 1);
  else {
    if (!(key in parent)) throw invalidPatch(`path /${parts.join('/')} does not exist`);
    delete parent[key];
  }
  return doc;
}

function applyOne(doc: Json, op: Obj): Json {
  const parts = pointer(op.path as string);
  switch (op.op) {
    case 'add':
      return add(doc, parts, op.value);
    case 'remove':
      return remove(doc, parts);
    case 'replace':
      getAt(doc, parts);
      return add(parts.length ? remove(doc, parts) : doc, parts, op.value);
    case 'move': {
      const from = pointer(String(op.from));
      const v = clone(getAt(doc, from));
      return add(remove(doc, from), parts, v);
    }
    case 'copy':
      return add(doc, parts, clone(getAt(doc, pointer(String(op.from)))));
    case 'test':
      if (JSON.stringify(getAt(doc, parts)) !== JSON.stringify(op.value)) {
        throw new BosunError(ErrorCode.Invalid, `test operation failed at ${String(op.path)}`);
      }
      return doc;
    default:
      throw invalidPatch(`unknown JSON patch operation "${String(op.op)}"`);
  }
}

/**
 * Merge keys of lists that strategic merge patch merges element-wise rather than replacing, for
 * the core kinds. Lists not named here are replaced, as merge patch does.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  conditions: 'type',
  imagePullSecrets: 'name',
  tolerations: 'key',
  hostAliases: 'ip',
  ownerReferences: 'uid',
  finalizers: '',
};

/**
 * Strategic merge patch for the core kinds: objects merge, lists with a known merge key merge by
 * it, `$patch: delete|replace`, `$deleteFromPrimitiveList/…` and `$retainKeys` are honoured and
 * `$setElementOrder/…` directives are accepted (order is taken from the patch).
 */
export function applyStrategicMergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return clone(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Obj = isObj(target) ? { ...target } : {};
  const retain = Array.isArray(patch.$retainKeys) ? new Set(patch.$retainKeys as string[]) : null;
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$setElementOrder/') || k === '$retainKeys' || k === '$patch') continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const drop = new Set((Array.isArray(v) ? v : []).map((x) => JSON.stringify(x)));
      if (Array.isArray(out[field])) {
        out[field] = (out[field] as Json[]).filter((x) => !drop.has(JSON.stringify(x)));
      }
      continue;
    }
    if (v === null) delete out[k];
    else if (Array.isArray(v) && k in MERGE_KEYS) out[k] = mergeList(out[k], v, MERGE_KEYS[k]);
    else if (isObj(v)) {
      const merged = applyStrategicMergePatch(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else out[k] = clone(v);
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.has(k)) delete out[k];
  return out;
}

function mergeList(current: Json, patch: Json[], key: string): Json[] {
  const base = Array.isArray(current) ? [...current] : [];
  if (key === '') {
    // A set of primitives (finalizers): union, keeping the current order first.
    const seen = new Set(base.map((x) => JSON.stringify(x)));
    return [...base, ...patch.filter((x) => !seen.has(JSON.stringify(x)))];
  }
  if (patch.some((p) => isObj(p) && p.$patch === 'replace')) {
    return clone(patch.filter((p) => !(isObj(p) && p.$patch === 'replace')));
  }
  for (const item of patch) {
    if (!isObj(item) || !(key in item)) {
      throw invalidPatch(`list item ${JSON.stringify(item)} lacks its merge key "${key}"`);
    }
    const i = base.findIndex(
      (b) => isObj(b) && JSON.stringify(b[key]) === JSON.stringify(item[key]),
    );
    if (item.$patch === 'delete') {
      if (i >= 0) base.splice(i, 1);
      continue;
    }
    if (i >= 0) base[i] = applyStrategicMergePatch(base[i], item);
    else base.push(applyStrategicMergePatch({}, item));
  }
  return base;
}
