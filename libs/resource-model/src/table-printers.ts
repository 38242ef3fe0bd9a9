import { age } from './human-duration';
import { getPath, type Obj, objects, text } from './object-access';
import { AGE, col, type ColumnSpec, wide } from './table-column';
import { countKeys, formatMap, NONE, num, orNone, str } from './table-format';
import {
  CRONJOB_COLUMNS,
  DAEMONSET_COLUMNS,
  DEPLOYMENT_COLUMNS,
  JOB_COLUMNS,
  POD_COLUMNS,
  REPLICASET_COLUMNS,
  STATEFULSET_COLUMNS,
} from './table-printers-workloads';

export type { ColumnSpec } from './table-column';

function servicePorts(o: Obj): string {
  const ports = objects(getPath(o, 'spec.ports')).map((p) =>
    p['nodePort'] === undefined
      ? `${text(p['port'])}/${text(p['protocol'] ?? 'TCP')}`
      : `${text(p['port'])}:${text(p['nodePort'])}/${text(p['protocol'] ?? 'TCP')}`,
  );
  return orNone(ports.join(','));
}

function externalIp(o: Obj): string {
  const type = str(o, 'spec.type');
  const external = (getPath(o, 'spec.externalIPs') as string[] | undefined) ?? [];
  if (type === 'ExternalName') return str(o, 'spec.externalName');
  if (type === 'LoadBalancer') {
    const ingress = objects(getPath(o, 'status.loadBalancer.ingress')).map((i) =>
      text(i['ip'] ?? i['hostname'] ?? ''),
    );
    const all = [...ingress, ...external].filter((x) => x !== '');
    return all.length === 0 ? '<pending>' : all.join(',');
  }
  return orNone(external.join(','));
}

const SERVICE = (name: ColumnSpec): ColumnSpec[] => [
  name,
  col('Type', (o) => str(o, 'spec.type') || 'ClusterIP'),
  col('Cluster-IP', (o) => orNone(str(o, 'spec.clusterIP'))),
  col('External-IP', externalIp),
  col('Port(s)', servicePorts),
  AGE,
  wide('Selector', (o) => formatMap(getPath(o, 'spec.selector'))),
];

function nodeStatus(o: Obj): string {
  const ready = objects(getPath(o, 'status.conditions')).find((c) => c['type'] === 'Ready');
  let s =
    ready === undefined
      ? 'Unknown'
      : ready['status'] === 'True'
        ? 'Ready'
        : ready['status'] === 'False'
          ? 'NotReady'
          : 'Unknown';
  if (getPath(o, 'spec.unschedulable') === true) s += ',SchedulingDisabled';
  return s;
}

const nodeRoles = (o: Obj): string => {
  const labels = (getPath(o, 'metadata.labels') ?? {}) as Record<string, string>;
  const roles = Object.keys(labels)
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter((r) => r !== '');
  return orNone(roles.sort().join(','));
};

const address = (o: Obj, type: string): string =>
  orNone(
    objects(getPath(o, 'status.addresses'))
      .filter((a) => a['type'] === type)
      .map((a) => text(a['address']))
      .join(','),
  );

const NODE = (name: ColumnSpec): ColumnSpec[] => [
  name,
  col('Status', nodeStatus),
  col('Roles', nodeRoles),
  AGE,
  col('Version', (o) => str(o, 'status.nodeInfo.kubeletVersion')),
  wide('Internal-IP', (o) => address(o, 'InternalIP')),
  wide('External-IP', (o) => address(o, 'ExternalIP')),
  wide('OS-Image', (o) => str(o, 'status.nodeInfo.osImage')),
  wide('Kernel-Version', (o) => str(o, 'status.nodeInfo.kernelVersion')),
  wide('Container-Runtime', (o) => str(o, 'status.nodeInfo.containerRuntimeVersion')),
];

function endpointsCell(o: Obj): string {
  const list: string[] = [];
  for (const subset of objects(o['subsets'])) {
    const ports = objects(subset['ports']);
    for (const a of objects(subset['addresses'])) {
      if (ports.length === 0) list.push(text(a['ip']));
      for (const p of ports) list.push(`${text(a['ip'])}:${text(p['port'])}`);
    }
  }
  if (list.length === 0) return NONE;
  return list.length > 3
    ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...`
    : list.join(',');
}

const eventObject = (o: Obj): string =>
  `${str(o, 'involvedObject.kind').toLowerCase()}/${str(o, 'involvedObject.name')}`;

const EVENT = (name: ColumnSpec): ColumnSpec[] => [
  col('Last Seen', (o, now) =>
    age(
      getPath(o, 'lastTimestamp') ??
        getPath(o, 'eventTime') ??
        getPath(o, 'metadata.creationTimestamp'),
      now,
    ),
  ),
  col('Type', (o) => str(o, 'type')),
  col('Reason', (o) => str(o, 'reason')),
  col('Object', eventObject),
  wide('Subobject', (o) => str(o, 'involvedObject.fieldPath')),
  wide('Source', (o) =>
    [str(o, 'source.component'), str(o, 'source.host')].filter((x) => x !== '').join(', '),
  ),
  col('Message', (o) => str(o, 'message').trim()),
  wide('First Seen', (o, now) => age(getPath(o, 'firstTimestamp') ?? getPath(o, 'eventTime'), now)),
  wide('Count', (o) => num(o, 'count'), { type: 'integer' }),
  { ...name, priority: 1 },
];

/** events.k8s.io/v1 Events print like core ones, read from their renamed fields. */
const EVENT_V1 = (name: ColumnSpec): ColumnSpec[] => [
  col('Last Seen', (o, now) =>
    age(
      getPath(o, 'series.lastObservedTime') ??
        getPath(o, 'deprecatedLastTimestamp') ??
        getPath(o, 'eventTime') ??
        getPath(o, 'metadata.creationTimestamp'),
      now,
    ),
  ),
  col('Type', (o) => str(o, 'type')),
  col('Reason', (o) => str(o, 'reason')),
  col('Object', (o) => `${str(o, 'regarding.kind').toLowerCase()}/${str(o, 'regarding.name')}`),
  wide('Subobject', (o) => str(o, 'regarding.fieldPath')),
  wide('Source', (o) =>
    [str(o, 'reportingController'), str(o, 'reportingInstance')].filter((x) => x !== '').join(', '),
  ),
  col('Message', (o) => str(o, 'note').trim()),
  wide('First Seen', (o, now) =>
    age(getPath(o, 'deprecatedFirstTimestamp') ?? getPath(o, 'eventTime'), now),
  ),
  wide('Count', (o) => num(o, 'series.count') || num(o, 'deprecatedCount') || 1, {
    type: 'integer',
  }),
  { ...name, priority: 1 },
];

const accessModes = (o: Obj, path: string): string => {
  const short: Record<string, string> = {
    ReadWriteOnce: 'RWO',
    ReadOnlyMany: 'ROX',
    ReadWriteMany: 'RWX',
    ReadWriteOncePod: 'RWOP',
  };
  return ((getPath(o, path) as string[] | undefined) ?? []).map((m) => short[m] ?? m).join(',');
};

const PV = (name: ColumnSpec): ColumnSpec[] => [
  name,
  col('Capacity', (o) => text(getPath(o, 'spec.capacity.storage') ?? '')),
  col('Access Modes', (o) => accessModes(o, 'spec.accessModes')),
  col('Reclaim Policy', (o) => str(o, 'spec.persistentVolumeReclaimPolicy')),
  col('Status', (o) => str(o, 'status.phase')),
  col('Claim', (o) =>
    getPath(o, 'spec.claimRef') === undefined
      ? ''
      : `${str(o, 'spec.claimRef.namespace')}/${str(o, 'spec.claimRef.name')}`,
  ),
  col('StorageClass', (o) => str(o, 'spec.storageClassName')),
  col('VolumeAttributesClass', (o) => orNone(str(o, 'spec.volumeAttributesClassName'))),
  col('Reason', (o) => str(o, 'status.reason')),
  AGE,
  wide('VolumeMode', (o) => str(o, 'spec.volumeMode') || 'Filesystem'),
];

const PVC = (name: ColumnSpec): ColumnSpec[] => [
  name,
  col('Status', (o) =>
    getPath(o, 'metadata.deletionTimestamp') === undefined ? str(o, 'status.phase') : 'Terminating',
  ),
  col('Volume', (o) => str(o, 'spec.volumeName')),
  col('Capacity', (o) => text(getPath(o, 'status.capacity.storage') ?? '')),
  col('Access Modes', (o) => accessModes(o, 'status.accessModes')),
  col('StorageClass', (o) => str(o, 'spec.storageClassName')),
  col('VolumeAttributesClass', (o) => orNone(str(o, 'spec.volumeAttributesClassName'))),
  AGE,
  wide('VolumeMode', (o) => str(o, 'spec.volumeMode') || 'Filesystem'),
];

function sliceEndpoints(o: Obj): string {
  const addrs = objects(o['endpoints']).flatMap((e) =>
    Array.isArray(e['addresses']) ? (e['addresses'] as string[]) : [],
  );
  if (addrs.length === 0) return NONE;
  return addrs.length > 3
    ? `${addrs.slice(0, 3).join(',')} + ${addrs.length - 3} more...`
    : addrs.join(',');
}

/** Column sets keyed `<apiVersion>/<kind>`; a kind without one gets NAME and AGE. */
const PRINTERS: Readonly<Record<string, (name: ColumnSpec) => ColumnSpec[]>> = {
  'v1/Pod': POD_COLUMNS,
  'v1/Service': SERVICE,
  'v1/Node': NODE,
  'v1/Namespace': (name) => [name, col('Status', (o) => str(o, 'status.phase')), AGE],
  'v1/ConfigMap': (name) => [
    name,
    col('Data', (o) => countKeys(o['data'], o['binaryData']), { type: 'integer' }),
    AGE,
  ],
  'v1/Secret': (name) => [
    name,
    col('Type', (o) => str(o, 'type')),
    col('Data', (o) => countKeys(o['data']), { type: 'integer' }),
    AGE,
  ],
  'v1/Endpoints': (name) => [name, col('Endpoints', endpointsCell), AGE],
  'v1/ServiceAccount': (name) => [
    name,
    col('Secrets', (o) => objects(o['secrets']).length, { type: 'integer' }),
    AGE,
  ],
  'v1/Event': EVENT,
  'v1/PersistentVolume': PV,
  'v1/PersistentVolumeClaim': PVC,
  'apps/v1/Deployment': DEPLOYMENT_COLUMNS,
  'apps/v1/ReplicaSet': REPLICASET_COLUMNS,
  'apps/v1/DaemonSet': DAEMONSET_COLUMNS,
  'apps/v1/StatefulSet': STATEFULSET_COLUMNS,
  'batch/v1/Job': JOB_COLUMNS,
  'batch/v1/CronJob': CRONJOB_COLUMNS,
  'events.k8s.io/v1/Event': EVENT_V1,
  'coordination.k8s.io/v1/Lease': (name) => [
    name,
    col('Holder', (o) => str(o, 'spec.holderIdentity')),
    AGE,
  ],
  'discovery.k8s.io/v1/EndpointSlice': (name) => [
    name,
    col('AddressType', (o) => str(o, 'addressType')),
    col('Ports', (o) =>
      orNone(
        objects(o['ports'])
          .map((p) => text(p['port'] ?? ''))
          .join(','),
      ),
    ),
    col('Endpoints', sliceEndpoints),
    AGE,
  ],
};

export function printerFor(apiVersion: string, kind: string, name: ColumnSpec): ColumnSpec[] {
  const printer = PRINTERS[`${apiVersion}/${kind}`];
  return printer === undefined ? [name, AGE] : printer(name);
}
