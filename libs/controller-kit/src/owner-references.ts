import type { KubeObject, OwnerReference } from './types';

/** The one owner reference with `controller: true`, if any. */
export function controllerRef(obj: Pick<KubeObject, 'metadata'>): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** The `namespace/name` key of the object's controlling owner when it is of `kind`. */
export function controllerOwnerKey(obj: Pick<KubeObject, 'metadata'>, kind: string) {
  const ref = controllerRef(obj);
  if (!ref || ref.kind !== kind || !ref.name) return undefined;
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${ref.name}` : ref.name;
}
