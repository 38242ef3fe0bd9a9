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

/** Whether `owner` is the object's controlling owner (same uid). */
export function isControlledBy(
  obj: Pick<KubeObject, 'metadata'>,
  owner: Pick<KubeObject, 'metadata'>,
): boolean {
  const ref = controllerRef(obj);
  return ref !== undefined && ref.uid === owner.metadata.uid;
}

/** The controller reference a workload puts on what it creates or adopts. */
export function newControllerRef(
  owner: Pick<KubeObject, 'metadata'>,
  apiVersion: string,
  kind: string,
): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}
