import type { KubeObject } from './types';

/** `namespace/name`, or `name` for cluster-scoped objects: the key client-go uses. */
export function objectKey(obj: Pick<KubeObject, 'metadata'>): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name ?? ''}` : (name ?? '');
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: '', name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function revisionOf(obj: Pick<KubeObject, 'metadata'>): number {
  const rv = Number(obj.metadata.resourceVersion);
  return Number.isFinite(rv) ? rv : 0;
}
