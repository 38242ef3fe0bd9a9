/** Small helpers to walk and fill untyped Kubernetes objects without `any`. */
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The object at `key`, created empty when missing. A value of the wrong type is left alone (a
 * detached object is returned) so that validation still sees and reports it.
 */
export function child(o: Obj, key: string): Obj {
  const v = o[key];
  if (isObj(v)) return v;
  const fresh: Obj = {};
  if (v === undefined || v === null) o[key] = fresh;
  return fresh;
}

/** Sets `key` only when it is absent (undefined or null), as Kubernetes defaulting does. */
export function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

export const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** Reads a dotted path (`spec.template.spec`), undefined when any step is missing. */
export function getPath(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const p of path.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

export const deepClone = <T>(v: T): T => structuredClone(v);

/**
 * A value as text for messages and table cells. Never throws: user data may be an object whose
 * `toString` is not a function (`{"toString": 0}`), which `String(v)` would choke on.
 */
export function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}
