import type { KubeObject } from './types';

/** Maps an object to the index values it is found under (none: not indexed). */
export type IndexFunc<T> = (obj: T) => readonly string[];

export const IndexName = {
  Namespace: 'namespace',
  Label: 'label',
  Owner: 'owner',
  NodeName: 'nodeName',
} as const;

export const byNamespace: IndexFunc<KubeObject> = (o) => [o.metadata.namespace ?? ''];

/** One value per label, `key=value`, so "all pods with app=web" is one lookup. */
export const byLabel: IndexFunc<KubeObject> = (o) =>
  Object.entries(o.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`);

export const byOwnerUid: IndexFunc<KubeObject> = (o) =>
  (o.metadata.ownerReferences ?? []).map((r) => r.uid);

export const byNodeName: IndexFunc<KubeObject> = (o) => {
  const spec = o['spec'] as { nodeName?: unknown } | undefined;
  return typeof spec?.nodeName === 'string' && spec.nodeName !== '' ? [spec.nodeName] : [];
};

export function defaultIndexers(): Record<string, IndexFunc<KubeObject>> {
  return {
    [IndexName.Namespace]: byNamespace,
    [IndexName.Label]: byLabel,
    [IndexName.Owner]: byOwnerUid,
    [IndexName.NodeName]: byNodeName,
  };
}
