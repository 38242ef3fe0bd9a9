import { isObj, type Obj, text } from './object-access';

/** Does a `metav1.LabelSelector` (matchLabels + matchExpressions) select these labels? */
export function selectorMatches(
  selector: unknown,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!isObj(selector)) return false;
  const matchLabels = isObj(selector['matchLabels']) ? selector['matchLabels'] : {};
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  const exprs = Array.isArray(selector['matchExpressions'])
    ? (selector['matchExpressions'] as Obj[])
    : [];
  return exprs.every((e) => {
    const key = text(e['key']);
    const values = Array.isArray(e['values']) ? (e['values'] as unknown[]).map(String) : [];
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e['operator']) {
      case 'In':
        return has && values.includes(labels[key] ?? '');
      case 'NotIn':
        return !has || !values.includes(labels[key] ?? '');
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/** An empty selector (no labels, no expressions) selects everything: workloads forbid it. */
export const selectorIsEmpty = (selector: unknown): boolean =>
  !isObj(selector) ||
  (Object.keys(isObj(selector['matchLabels']) ? selector['matchLabels'] : {}).length === 0 &&
    (!Array.isArray(selector['matchExpressions']) || selector['matchExpressions'].length === 0));
