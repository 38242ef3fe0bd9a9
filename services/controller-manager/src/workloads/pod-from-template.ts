import { newControllerRef } from '@bosun/controller-kit';
import type { PodSpec } from '@bosun/api-types';
import type { ObjectMeta, Pod, PodTemplate } from './types';

/** A pod for `owner` from its template: generateName `<owner>-`, the owner as controller. */
export function podFromTemplate(
  owner: { metadata: ObjectMeta },
  template: PodTemplate | undefined,
  ownerApiVersion: string,
  ownerKind: string,
): Pod {
  const meta = template?.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata.name ?? ''}-`,
      namespace: owner.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ownerReferences: [newControllerRef(owner, ownerApiVersion, ownerKind)],
    },
    spec: structuredClone(template?.spec ?? ({} as PodSpec)),
  };
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations };
  if (meta['finalizers']) pod.metadata.finalizers = [...(meta['finalizers'] as string[])];
  return pod;
}
