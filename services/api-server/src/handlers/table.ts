import type { KindInfo } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';

interface Column {
  readonly name: string;
  readonly type: string;
  readonly priority?: number;
  readonly cell: (o: Obj) => unknown;
}
// Cells read loosely typed fields of many kinds; a wrong shape only yields an odd cell.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = StoredObject & {
  spec?: Record<string, any>;
  status?: Record<string, any>;
  data?: Record<string, unknown>;
};
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Kubernetes' short age format: 5s, 3m, 2h, 4d. */
export function age(timestamp: unknown, now = Date.now()): string {
  if (typeof timestamp !== 'string') return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

const NAME: Column = { name: 'Name', type: 'string', cell: (o) => o.metadata.name };
const AGE: Column = { name: 'Age', type: 'string', cell: (o) => age(o.metadata.creationTimestamp) };
const count = (v: unknown) => (v && typeof v === 'object' ? Object.keys(v).length : 0);

function podReady(o: Obj): string {
  const containers = (o.spec?.containers as unknown[] | undefined)?.length ?? 0;
  const ready = ((o.status?.containerStatuses as { ready?: boolean }[] | undefined) ?? []).filter(
    (c) => c.ready,
  ).length;
  return `${ready}/${containers}`;
}

const COLUMNS: Record<string, Column[]> = {
  pods: [
    NAME,
    { name: 'Ready', type: 'string', cell: podReady },
    {
      name: 'Status',
      type: 'string',
      cell: (o) => (o.metadata.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? 'Pending')),
    },
    {
      name: 'Restarts',
      type: 'string',
      cell: (o) =>
        String(
          ((o.status?.containerStatuses as { restartCount?: number }[]) ?? []).reduce(
            (a, c) => a + (c.restartCount ?? 0),
            0,
          ),
        ),
    },
    AGE,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => o.status?.podIP ?? '<none>' },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => o.spec?.nodeName ?? '<none>' },
  ],
  deployments: [
    NAME,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`,
    },
    { name: 'Up-to-date', type: 'integer', cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => o.status?.availableReplicas ?? 0 },
    AGE,
  ],
  replicasets: [
    NAME,
    { name: 'Desired', type: 'integer', cell: (o) => o.spec?.replicas ?? 1 },
    { name: 'Current', type: 'integer', cell: (o) => o.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => o.status?.readyReplicas ?? 0 },
    AGE,
  ],
  namespaces: [
    NAME,
    { name: 'Status', type: 'string', cell: (o) => o.status?.phase ?? 'Active' },
    AGE,
  ],
  configmaps: [
    NAME,
    { name: 'Data', type: 'integer', cell: (o) => count(o.data) + count(o.binaryData) },
    AGE,
  ],
  secrets: [
    NAME,
    { name: 'Type', type: 'string', cell: (o) => o.type ?? 'Opaque' },
    { name: 'Data', type: 'integer', cell: (o) => count(o.data) },
    AGE,
  ],
  services: [
    NAME,
    { name: 'Type', type: 'string', cell: (o) => o.spec?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', cell: (o) => o.spec?.clusterIP ?? '<none>' },
    AGE,
  ],
  nodes: [
    NAME,
    {
      name: 'Status',
      type: 'string',
      cell: (o) =>
        ((o.status?.conditions as { type: string; status: string }[]) ?? []).find(
          (c) => c.type === 'Ready',
        )?.status === 'True'
          ? 'Ready'
          : 'NotReady',
    },
    AGE,
  ],
};

export interface TableOptions {
  readonly includeObject: 'None' | 'Metadata' | 'Object';
  readonly withColumns: boolean;
}

/** A meta.k8s.io/v1 Table of `objects`, as kubectl asks for with `as=Table`. */
export function toTable(
  kind: KindInfo,
  objects: readonly StoredObject[],
  listMeta: Record<string, unknown>,
  opts: TableOptions,
): Record<string, unknown> {
  const columns = COLUMNS[kind.resource] ?? [NAME, AGE];
  const rowObject = (o: StoredObject) =>
    opts.includeObject === 'Object'
      ? o
      : opts.includeObject === 'Metadata'
        ? { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata }
        : undefined;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    ...(opts.withColumns
      ? {
          columnDefinitions: columns.map((c) => ({
            name: c.name,
            type: c.type,
            format: c.name === 'Name' ? 'name' : '',
            description: c.name,
            priority: c.priority ?? 0,
          })),
        }
      : {}),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o as Obj) ?? ''),
      ...(opts.includeObject === 'None' ? {} : { object: rowObject(o) }),
    })),
  };
}

/** Whether the Accept header asks for a Table (the first acceptable type decides). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(',')[0].replace(/\s+/g, '');
  return first.includes('as=Table') && first.includes('g=meta.k8s.io');
}
