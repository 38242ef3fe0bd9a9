import type { FieldCause } from '@bosun/common';
import { fieldError } from './api-errors';
import { getPath, isObj, type Obj, objects } from './object-access';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const immutable = (obj: Obj, old: Obj, paths: readonly string[]): FieldCause[] =>
  paths.flatMap((p) => {
    const now = getPath(obj, p);
    return same(now, getPath(old, p))
      ? []
      : [fieldError.invalid(p, now ?? null, 'field is immutable')];
  });

/** The pod spec with every field a pod update may change reset to the old value. */
function podSpecWithoutMutable(spec: Obj, old: Obj): Obj {
  const copy = structuredClone(spec);
  copy['activeDeadlineSeconds'] = old['activeDeadlineSeconds'];
  copy['terminationGracePeriodSeconds'] = old['terminationGracePeriodSeconds'];
  for (const list of ['containers', 'initContainers']) {
    const oldList = objects(old[list]);
    objects(copy[list]).forEach((c, i) => {
      const o = oldList[i];
      if (o !== undefined) c['image'] = o['image'];
    });
  }
  const oldTolerations = Array.isArray(old['tolerations']) ? (old['tolerations'] as unknown[]) : [];
  const tolerations = Array.isArray(copy['tolerations']) ? (copy['tolerations'] as unknown[]) : [];
  // Tolerations may only be added to: the old ones must all still be there.
  if (oldTolerations.every((t) => tolerations.some((n) => same(n, t))))
    copy['tolerations'] = old['tolerations'];
  // Scheduling gates may only be removed (that is how a pod becomes schedulable).
  const oldGates = Array.isArray(old['schedulingGates'])
    ? (old['schedulingGates'] as unknown[])
    : [];
  const gates = Array.isArray(copy['schedulingGates'])
    ? (copy['schedulingGates'] as unknown[])
    : [];
  if (gates.every((g) => oldGates.some((o) => same(o, g))))
    copy['schedulingGates'] = old['schedulingGates'];
  // spec.nodeName is not in this list: it is set once, through the pods/binding subresource.
  return copy;
}

function podUpdateCauses(obj: Obj, old: Obj): FieldCause[] {
  const spec = isObj(obj['spec']) ? obj['spec'] : {};
  const oldSpec = isObj(old['spec']) ? old['spec'] : {};
  if (same(podSpecWithoutMutable(spec, oldSpec), oldSpec)) return [];
  return [
    fieldError.forbidden(
      'spec',
      'pod updates may only change spec.containers[*].image, spec.initContainers[*].image, spec.activeDeadlineSeconds, spec.terminationGracePeriodSeconds, add to spec.tolerations or remove spec.schedulingGates',
    ),
  ];
}

function statefulSetUpdateCauses(obj: Obj, old: Obj): FieldCause[] {
  const strip = (o: Obj): Obj => {
    const spec = { ...((isObj(o['spec']) ? o['spec'] : {}) as Obj) };
    for (const f of [
      'replicas',
      'ordinals',
      'template',
      'updateStrategy',
      'persistentVolumeClaimRetentionPolicy',
      'minReadySeconds',
    ])
      delete spec[f];
    return spec;
  };
  if (same(strip(obj), strip(old))) return [];
  return [
    fieldError.forbidden(
      'spec',
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}

function immutableDataCauses(obj: Obj, old: Obj): FieldCause[] {
  if (old['immutable'] !== true) return [];
  return ['data', 'binaryData', 'immutable'].flatMap((f) =>
    same(obj[f], old[f])
      ? []
      : [fieldError.forbidden(f, 'field is immutable when `immutable` is set')],
  );
}

function serviceUpdateCauses(obj: Obj, old: Obj): FieldCause[] {
  const oldIp = getPath(old, 'spec.clusterIP');
  const ip = getPath(obj, 'spec.clusterIP');
  if (typeof oldIp !== 'string' || oldIp === '' || ip === undefined || ip === oldIp) return [];
  // Switching to or from ExternalName releases or allocates the IP; anything else keeps it.
  if (getPath(obj, 'spec.type') === 'ExternalName') return [];
  return [fieldError.invalid('spec.clusterIP', ip, 'field is immutable')];
}

/** Per-kind update rules: what may not change between the stored object and the new one. */
export const UPDATE_RULES: Readonly<Record<string, (obj: Obj, old: Obj) => FieldCause[]>> = {
  'v1/Pod': podUpdateCauses,
  'v1/Service': serviceUpdateCauses,
  'v1/ConfigMap': immutableDataCauses,
  'v1/Secret': (o, old) => [...immutableDataCauses(o, old), ...immutable(o, old, ['type'])],
  'v1/PersistentVolumeClaim': (o, old) =>
    immutable(o, old, [
      'spec.accessModes',
      'spec.selector',
      'spec.storageClassName',
      'spec.volumeMode',
    ]),
  'apps/v1/Deployment': (o, old) => immutable(o, old, ['spec.selector']),
  'apps/v1/ReplicaSet': (o, old) => immutable(o, old, ['spec.selector']),
  'apps/v1/DaemonSet': (o, old) => immutable(o, old, ['spec.selector']),
  'apps/v1/StatefulSet': (o, old) => [
    ...immutable(o, old, ['spec.selector']),
    ...statefulSetUpdateCauses(o, old),
  ],
  'discovery.k8s.io/v1/EndpointSlice': (o, old) => immutable(o, old, ['addressType']),
  'batch/v1/Job': (o, old) =>
    immutable(o, old, ['spec.selector', 'spec.template', 'spec.completionMode']),
};

/** Metadata nobody may change with an update. */
export const metadataUpdateCauses = (obj: Obj, old: Obj): FieldCause[] =>
  immutable(obj, old, ['metadata.name', 'metadata.namespace']).concat(
    getPath(obj, 'metadata.uid') === undefined ? [] : immutable(obj, old, ['metadata.uid']),
  );
