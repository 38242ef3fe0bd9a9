import type { FieldCause } from '@bosun/common';
import { fieldError } from './api-errors';
import { selectorIsEmpty, selectorMatches } from './label-selector';
import { labelSelectorCauses } from './metadata-validation';
import { getPath, isObj, type Obj, objects } from './object-access';
import { podSpecCauses, restartPolicyCauses } from './pod-spec-rules';
import { persistentVolumeCauses, persistentVolumeClaimCauses } from './storage-rules';
import {
  coreEventCauses,
  endpointSliceCauses,
  eventsV1Causes,
  leaseCauses,
} from './cluster-object-rules';

const nonNegative = (o: Obj, path: string, fields: readonly string[]): FieldCause[] =>
  fields.flatMap((f) => {
    const v = getPath(o, `${path}.${f}`);
    return typeof v === 'number' && v < 0
      ? [fieldError.invalid(`${path}.${f}`, v, 'must be greater than or equal to 0')]
      : [];
  });

/** A workload with `spec.selector` and `spec.template` (Deployment, ReplicaSet, DaemonSet, StatefulSet). */
function workloadCauses(o: Obj): FieldCause[] {
  const out: FieldCause[] = [
    ...nonNegative(o, 'spec', ['replicas', 'minReadySeconds', 'revisionHistoryLimit']),
  ];
  const selector = getPath(o, 'spec.selector');
  const labels = (getPath(o, 'spec.template.metadata.labels') ?? {}) as Record<string, string>;
  if (selector === undefined || selector === null) out.push(fieldError.required('spec.selector'));
  else if (selectorIsEmpty(selector))
    out.push(
      fieldError.invalid('spec.selector', selector, 'empty selector is invalid for deployment'),
    );
  else {
    out.push(...labelSelectorCauses(getPath(selector, 'matchLabels'), 'spec.selector.matchLabels'));
    if (!selectorMatches(selector, labels)) {
      out.push(
        fieldError.invalid(
          'spec.template.metadata.labels',
          labels,
          '`selector` does not match template `labels`',
        ),
      );
    }
  }
  out.push(...labelSelectorCauses(labels, 'spec.template.metadata.labels'));
  const podSpec = getPath(o, 'spec.template.spec');
  out.push(...podSpecCauses(podSpec, 'spec.template.spec'));
  out.push(...restartPolicyCauses(podSpec, 'spec.template.spec', ['Always']));
  return out;
}

const INT_OR_PERCENT = /^(\d+)%$/;

/** A RollingUpdate bound: a non-negative integer or an integer percentage up to 100%. */
function boundCauses(value: unknown, field: string): FieldCause[] {
  if (value === undefined) return [];
  if (typeof value === 'number')
    return value < 0
      ? [fieldError.invalid(field, value, 'must be greater than or equal to 0')]
      : [];
  const m = typeof value === 'string' ? INT_OR_PERCENT.exec(value) : null;
  if (m === null)
    return [
      fieldError.invalid(
        field,
        value,
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%')",
      ),
    ];
  return Number(m[1]) > 100
    ? [fieldError.invalid(field, value, 'must not be greater than 100%')]
    : [];
}

const isZero = (v: unknown): boolean => v === 0 || v === '0%';

function deploymentStrategyCauses(o: Obj): FieldCause[] {
  const strategy = getPath(o, 'spec.strategy');
  if (!isObj(strategy)) return [];
  const ru = strategy['rollingUpdate'];
  if (strategy['type'] === 'Recreate') {
    return ru == null
      ? []
      : [
          fieldError.forbidden(
            'spec.strategy.rollingUpdate',
            "may not be specified when strategy `type` is 'Recreate'",
          ),
        ];
  }
  if (!isObj(ru)) return [];
  const out = [
    ...boundCauses(ru['maxSurge'], 'spec.strategy.rollingUpdate.maxSurge'),
    ...boundCauses(ru['maxUnavailable'], 'spec.strategy.rollingUpdate.maxUnavailable'),
  ];
  if (isZero(ru['maxSurge'] ?? '25%') && isZero(ru['maxUnavailable'] ?? '25%')) {
    out.push(
      fieldError.invalid(
        'spec.strategy.rollingUpdate.maxUnavailable',
        ru['maxUnavailable'],
        'may not be 0 when `maxSurge` is 0',
      ),
    );
  }
  return out;
}

function jobSpecCauses(spec: unknown, path: string): FieldCause[] {
  if (!isObj(spec)) return [fieldError.required(path)];
  const out = nonNegative({ s: spec }, 's', [
    'parallelism',
    'completions',
    'backoffLimit',
    'activeDeadlineSeconds',
  ]).map((c) => ({
    ...c,
    field: c.field.replace(/^s\./, `${path}.`),
  }));
  const selector = spec['selector'];
  const labels = (getPath(spec, 'template.metadata.labels') ?? {}) as Record<string, string>;
  if (isObj(selector) && !selectorMatches(selector, labels)) {
    out.push(
      fieldError.invalid(
        `${path}.template.metadata.labels`,
        labels,
        '`selector` does not match template `labels`',
      ),
    );
  }
  const podSpec = getPath(spec, 'template.spec');
  out.push(...podSpecCauses(podSpec, `${path}.template.spec`));
  out.push(...restartPolicyCauses(podSpec, `${path}.template.spec`, ['OnFailure', 'Never']));
  return out;
}

function serviceCauses(o: Obj): FieldCause[] {
  const out: FieldCause[] = [];
  const spec = isObj(o['spec']) ? o['spec'] : {};
  const ports = objects(spec['ports']);
  const headless = spec['clusterIP'] === 'None';
  if (ports.length === 0 && spec['type'] !== 'ExternalName' && !headless)
    out.push(fieldError.required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const port = p['port'];
    if (typeof port !== 'number' || port < 1 || port > 65535) {
      out.push(
        fieldError.invalid(`spec.ports[${i}].port`, port, 'must be between 1 and 65535, inclusive'),
      );
    }
    const name = p['name'];
    if (ports.length > 1 && (typeof name !== 'string' || name === ''))
      out.push(fieldError.required(`spec.ports[${i}].name`));
    if (typeof name === 'string' && name !== '') {
      if (names.has(name)) out.push(fieldError.duplicate(`spec.ports[${i}].name`, name));
      names.add(name);
    }
  });
  if (spec['type'] === 'ExternalName' && typeof spec['externalName'] !== 'string')
    out.push(fieldError.required('spec.externalName'));
  return out;
}

const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

function dataKeyCauses(o: Obj): FieldCause[] {
  const out: FieldCause[] = [];
  for (const field of ['data', 'binaryData', 'stringData']) {
    const data = o[field];
    if (!isObj(data)) continue;
    for (const k of Object.keys(data)) {
      if (!DATA_KEY.test(k) || k.length > 253) {
        out.push(
          fieldError.invalid(
            `${field}[${k}]`,
            k,
            "a valid config key must consist of alphanumerics, '-', '_' or '.'",
          ),
        );
      }
    }
  }
  return out;
}

/** Per-kind rules beyond the schema, keyed `<apiVersion>/<kind>`. */
export const KIND_RULES: Readonly<Record<string, (o: Obj) => FieldCause[]>> = {
  'v1/Pod': (o) => podSpecCauses(o['spec'], 'spec'),
  'v1/Service': serviceCauses,
  'v1/ConfigMap': dataKeyCauses,
  'v1/Secret': dataKeyCauses,
  'v1/PersistentVolume': persistentVolumeCauses,
  'v1/Event': coreEventCauses,
  'events.k8s.io/v1/Event': eventsV1Causes,
  'coordination.k8s.io/v1/Lease': leaseCauses,
  'discovery.k8s.io/v1/EndpointSlice': endpointSliceCauses,
  'v1/PersistentVolumeClaim': persistentVolumeClaimCauses,
  'apps/v1/Deployment': (o) => [...workloadCauses(o), ...deploymentStrategyCauses(o)],
  'apps/v1/ReplicaSet': workloadCauses,
  'apps/v1/DaemonSet': workloadCauses,
  'apps/v1/StatefulSet': workloadCauses,
  'batch/v1/Job': (o) => jobSpecCauses(o['spec'], 'spec'),
  'batch/v1/CronJob': (o) => {
    const out: FieldCause[] = [];
    const schedule = getPath(o, 'spec.schedule');
    if (typeof schedule !== 'string' || schedule.trim() === '')
      out.push(fieldError.required('spec.schedule'));
    out.push(...jobSpecCauses(getPath(o, 'spec.jobTemplate.spec'), 'spec.jobTemplate.spec'));
    return out;
  },
};
