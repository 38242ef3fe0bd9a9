import type { FieldCause } from '@bosun/common';
import { fieldError } from './api-errors';
import { getPath, type Obj, objects, text } from './object-access';

/** Rules for the small coordination / discovery / event kinds that the schema does not carry. */
const requiredStrings = (o: Obj, paths: readonly string[]): FieldCause[] =>
  paths.flatMap((p) => {
    const v = getPath(o, p);
    return typeof v === 'string' && v !== '' ? [] : [fieldError.required(p)];
  });

export function coreEventCauses(o: Obj): FieldCause[] {
  const ns = getPath(o, 'metadata.namespace');
  const involved = getPath(o, 'involvedObject.namespace');
  if (
    typeof ns === 'string' &&
    ns !== '' &&
    typeof involved === 'string' &&
    involved !== '' &&
    involved !== ns
  ) {
    return [
      fieldError.invalid('involvedObject.namespace', involved, 'does not match event.namespace'),
    ];
  }
  return [];
}

/** events.k8s.io/v1 requires who reported what and when. */
export const eventsV1Causes = (o: Obj): FieldCause[] => [
  ...(getPath(o, 'eventTime') === undefined ? [fieldError.required('eventTime')] : []),
  ...requiredStrings(o, ['reportingController', 'reportingInstance', 'action', 'reason']),
];

export function leaseCauses(o: Obj): FieldCause[] {
  const d = getPath(o, 'spec.leaseDurationSeconds');
  return typeof d === 'number' && d <= 0
    ? [fieldError.invalid('spec.leaseDurationSeconds', d, 'must be greater than 0')]
    : [];
}

export function endpointSliceCauses(o: Obj): FieldCause[] {
  const out: FieldCause[] = [];
  const type = o['addressType'];
  if (type === undefined) out.push(fieldError.required('addressType'));
  else if (!['IPv4', 'IPv6', 'FQDN'].includes(text(type)))
    out.push(fieldError.notSupported('addressType', type, ['IPv4', 'IPv6', 'FQDN']));
  objects(o['endpoints']).forEach((e, i) => {
    const addrs = e['addresses'];
    if (!Array.isArray(addrs) || addrs.length === 0)
      out.push(fieldError.required(`endpoints[${i}].addresses`, 'must contain at least 1 address'));
  });
  return out;
}
