import type { FieldCause } from '@bosun/common';
import { fieldError } from './api-errors';
import { getPath, isObj, type Obj } from './object-access';

/** Spec fields of a PersistentVolume that are not its volume source. */
const PV_NON_SOURCE = new Set([
  'accessModes',
  'capacity',
  'claimRef',
  'mountOptions',
  'nodeAffinity',
  'persistentVolumeReclaimPolicy',
  'storageClassName',
  'volumeAttributesClassName',
  'volumeMode',
]);

const accessModeCauses = (o: Obj, path: string): FieldCause[] => {
  const modes = getPath(o, path);
  return Array.isArray(modes) && modes.length > 0
    ? []
    : [fieldError.required(path, 'at least 1 access mode is required')];
};

export function persistentVolumeClaimCauses(o: Obj): FieldCause[] {
  const out = accessModeCauses(o, 'spec.accessModes');
  if (getPath(o, 'spec.resources.requests.storage') === undefined)
    out.push(fieldError.required('spec.resources[storage]'));
  return out;
}

export function persistentVolumeCauses(o: Obj): FieldCause[] {
  const out = accessModeCauses(o, 'spec.accessModes');
  if (getPath(o, 'spec.capacity.storage') === undefined)
    out.push(fieldError.required('spec.capacity'));
  const spec = isObj(o['spec']) ? o['spec'] : {};
  const sources = Object.keys(spec).filter(
    (k) => !PV_NON_SOURCE.has(k) && spec[k] !== undefined && spec[k] !== null,
  );
  if (sources.length === 0) out.push(fieldError.required('spec', 'must specify a volume type'));
  if (sources.length > 1)
    out.push(
      fieldError.forbidden(`spec.${sources[1] ?? ''}`, 'may not specify more than 1 volume type'),
    );
  return out;
}
