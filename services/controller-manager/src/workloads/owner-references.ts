import type { KubeObject } from '@bosun/controller-kit';
import type { ObjectMeta, OwnerRef } from './types';

/** The one owner reference with `controller: true`, if any. */
export function controllerRefOf(obj: {
  metadata: ObjectMeta | KubeObject['metadata'];
}): OwnerRef | undefined {
  const refs = (obj.metadata.ownerReferences ?? []) as readonly OwnerRef[];
  return refs.find((r) => r.controller === true);
}

export function isControlledBy(
  obj: { metadata: ObjectMeta },
  owner: { metadata: ObjectMeta },
): boolean {
  const ref = controllerRefOf(obj);
  return ref !== undefined && ref.uid === owner.metadata.uid;
}

/** The controller reference a workload puts on what it creates or adopts. */
export function newControllerRef(
  owner: { metadata: Pick<ObjectMeta, 'name' | 'uid'> },
  apiVersion: string,
  kind: string,
): OwnerRef {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}
