import { getPath, isObj, type Obj, objects, text } from './object-access';

/** Cell formatting shared by the printers. */
export const NONE = '<none>';

export const orNone = (s: string): string => (s === '' ? NONE : s);

export const num = (o: Obj, path: string): number => {
  const v = getPath(o, path);
  return typeof v === 'number' ? v : 0;
};

export const str = (o: Obj, path: string): string => {
  const v = getPath(o, path);
  return typeof v === 'string' ? v : '';
};

/** A label selector as kubectl prints it: `app=web,tier in (a,b),!legacy`. */
export function formatSelector(selector: unknown): string {
  if (!isObj(selector)) return NONE;
  const parts: string[] = [];
  const labels = isObj(selector['matchLabels']) ? selector['matchLabels'] : {};
  for (const [k, v] of Object.entries(labels)) parts.push(`${k}=${text(v)}`);
  for (const e of objects(selector['matchExpressions'])) {
    const key = text(e['key']);
    const values = Array.isArray(e['values'])
      ? (e['values'] as unknown[]).map(String).sort().join(',')
      : '';
    switch (e['operator']) {
      case 'In':
        parts.push(`${key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(key);
        break;
      case 'DoesNotExist':
        parts.push(`!${key}`);
        break;
    }
  }
  return parts.length === 0 ? NONE : parts.sort().join(',');
}

/** A plain `map[string]string` selector (Services, DaemonSet node selectors). */
export const formatMap = (m: unknown): string =>
  isObj(m) && Object.keys(m).length > 0
    ? Object.entries(m)
        .map(([k, v]) => `${k}=${text(v)}`)
        .sort()
        .join(',')
    : NONE;

export const containerNames = (podSpec: unknown): string =>
  orNone(
    objects(getPath(podSpec, 'containers'))
      .map((c) => text(c['name']))
      .join(','),
  );

export const containerImages = (podSpec: unknown): string =>
  orNone(
    objects(getPath(podSpec, 'containers'))
      .map((c) => text(c['image']))
      .join(','),
  );

export const countKeys = (...maps: unknown[]): number =>
  maps.reduce<number>((n, m) => n + (isObj(m) ? Object.keys(m).length : 0), 0);
