import { age } from './human-duration';
import { getPath, type Obj, objects, text } from './object-access';
import { podReadyAndRestarts, podStatusReason } from './pod-status';
import { AGE, col, type ColumnSpec, wide } from './table-column';
import {
  containerImages,
  containerNames,
  formatMap,
  formatSelector,
  NONE,
  num,
  orNone,
  str,
} from './table-format';

const INT = { type: 'integer' } as const;
const tpl = (o: Obj): unknown => getPath(o, 'spec.template.spec');
const workloadWide = (specOf: (o: Obj) => unknown): ColumnSpec[] => [
  wide('Containers', (o) => containerNames(specOf(o))),
  wide('Images', (o) => containerImages(specOf(o))),
  wide('Selector', (o) => formatSelector(getPath(o, 'spec.selector'))),
];

function restarts(o: Obj, now: Date): string {
  const { restarts: n } = podReadyAndRestarts(o);
  let last: number | undefined;
  for (const s of objects(getPath(o, 'status.containerStatuses'))) {
    const t = Date.parse(text(getPath(s, 'lastState.terminated.finishedAt') ?? ''));
    if (!Number.isNaN(t) && (last === undefined || t > last)) last = t;
  }
  return n > 0 && last !== undefined
    ? `${n} (${age(new Date(last).toISOString(), now)} ago)`
    : text(n);
}

export const POD_COLUMNS = (name: ColumnSpec): ColumnSpec[] => [
  name,
  col('Ready', (o) => podReadyAndRestarts(o).ready, {
    description: 'The aggregate readiness state of this pod for accepting traffic.',
  }),
  col('Status', (o) => podStatusReason(o), {
    description: 'The aggregate status of the containers in this pod.',
  }),
  col('Restarts', restarts, {
    description:
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  }),
  AGE,
  wide('IP', (o) => orNone(str(o, 'status.podIP')), {
    description: 'IP address allocated to the pod. Routable at least within the cluster.',
  }),
  wide('Node', (o) => orNone(str(o, 'spec.nodeName')), {
    description: 'Name of the Node this pod is scheduled on.',
  }),
  wide('Nominated Node', (o) => orNone(str(o, 'status.nominatedNodeName')), {
    description: 'Node the pod is nominated to by preemption.',
  }),
  wide('Readiness Gates', (o) => {
    const gates = objects(getPath(o, 'spec.readinessGates'));
    if (gates.length === 0) return NONE;
    const conds = objects(getPath(o, 'status.conditions'));
    const ok = gates.filter((g) =>
      conds.some((c) => c['type'] === g['conditionType'] && c['status'] === 'True'),
    ).length;
    return `${ok}/${gates.length}`;
  }),
];

export const DEPLOYMENT_COLUMNS = (name: ColumnSpec): ColumnSpec[] => [
  name,
  col('Ready', (o) => `${num(o, 'status.readyReplicas')}/${num(o, 'spec.replicas')}`, {
    description: 'Number of the pod with ready state',
  }),
  col('Up-to-date', (o) => num(o, 'status.updatedReplicas'), {
    ...INT,
    description:
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
  }),
  col('Available', (o) => num(o, 'status.availableReplicas'), {
    ...INT,
    description:
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
  }),
  AGE,
  ...workloadWide(tpl),
];

export const REPLICASET_COLUMNS = (name: ColumnSpec): ColumnSpec[] => [
  name,
  col('Desired', (o) => num(o, 'spec.replicas'), INT),
  col('Current', (o) => num(o, 'status.replicas'), INT),
  col('Ready', (o) => num(o, 'status.readyReplicas'), INT),
  AGE,
  ...workloadWide(tpl),
];

export const DAEMONSET_COLUMNS = (name: ColumnSpec): ColumnSpec[] => [
  name,
  col('Desired', (o) => num(o, 'status.desiredNumberScheduled'), INT),
  col('Current', (o) => num(o, 'status.currentNumberScheduled'), INT),
  col('Ready', (o) => num(o, 'status.numberReady'), INT),
  col('Up-to-date', (o) => num(o, 'status.updatedNumberScheduled'), INT),
  col('Available', (o) => num(o, 'status.numberAvailable'), INT),
  col('Node Selector', (o) => formatMap(getPath(o, 'spec.template.spec.nodeSelector'))),
  AGE,
  ...workloadWide(tpl),
];

export const STATEFULSET_COLUMNS = (name: ColumnSpec): ColumnSpec[] => [
  name,
  col('Ready', (o) => `${num(o, 'status.readyReplicas')}/${num(o, 'spec.replicas')}`),
  AGE,
  wide('Containers', (o) => containerNames(tpl(o))),
  wide('Images', (o) => containerImages(tpl(o))),
];

function jobStatus(o: Obj): string {
  const conds = objects(getPath(o, 'status.conditions'));
  const has = (t: string) => conds.some((c) => c['type'] === t && c['status'] === 'True');
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (getPath(o, 'metadata.deletionTimestamp') !== undefined) return 'Terminating';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (has('Suspended')) return 'Suspended';
  return 'Running';
}

function jobDuration(o: Obj, now: Date): string {
  const start = getPath(o, 'status.startTime');
  if (typeof start !== 'string') return '';
  const end = getPath(o, 'status.completionTime');
  const until = typeof end === 'string' ? new Date(Date.parse(end)) : now;
  return age(start, until);
}

export const JOB_COLUMNS = (name: ColumnSpec): ColumnSpec[] => [
  name,
  col('Status', jobStatus, { description: 'Status of the job.' }),
  col('Completions', (o) => {
    const completions = getPath(o, 'spec.completions');
    const succeeded = num(o, 'status.succeeded');
    return typeof completions === 'number'
      ? `${succeeded}/${completions}`
      : `${succeeded}/1 of ${num(o, 'spec.parallelism')}`;
  }),
  col('Duration', jobDuration, { description: 'Time required to complete the job.' }),
  AGE,
  ...workloadWide(tpl),
];

export const CRONJOB_COLUMNS = (name: ColumnSpec): ColumnSpec[] => [
  name,
  col('Schedule', (o) => str(o, 'spec.schedule')),
  col('Timezone', (o) => orNone(str(o, 'spec.timeZone'))),
  col('Suspend', (o) => getPath(o, 'spec.suspend') === true, { type: 'boolean' }),
  col('Active', (o) => objects(getPath(o, 'status.active')).length, INT),
  col('Last Schedule', (o, now) =>
    getPath(o, 'status.lastScheduleTime') === undefined
      ? NONE
      : age(getPath(o, 'status.lastScheduleTime'), now),
  ),
  AGE,
  wide('Containers', (o) => containerNames(getPath(o, 'spec.jobTemplate.spec.template.spec'))),
  wide('Images', (o) => containerImages(getPath(o, 'spec.jobTemplate.spec.template.spec'))),
  wide('Selector', (o) => formatSelector(getPath(o, 'spec.jobTemplate.spec.selector'))),
];
