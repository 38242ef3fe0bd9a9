/**
 * A boolean query parameter as Go's strconv.ParseBool reads it (kube-apiserver decodes its query
 * parameters that way): `1 t T TRUE true True` and `0 f F FALSE false False`; undefined for
 * anything else. One parser for the router's classification and the handlers, so `watch=True`
 * cannot be a watch to one and a list to the other.
 */
export function parseBoolParam(raw: string | null): boolean | undefined {
  if (raw === null) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return false;
  return undefined;
}

/** `key` of `q` is set to a true value. */
export const queryFlag = (q: URLSearchParams, key: string): boolean =>
  parseBoolParam(q.get(key)) === true;
