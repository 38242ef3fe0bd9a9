import { isBosunError } from '@bosun/common';
import { humanDuration } from './human-duration';
import { defaultRegistry, KindRegistry } from './registry';
import { toTable } from './table';
import { toList } from './list';

const now = new Date('2026-01-01T12:00:00Z');
const k = (resource: string, group = '') =>
  defaultRegistry.kinds().find((x) => x.resource === resource && x.group === group)!;
const created = (secondsAgo: number) => new Date(now.getTime() - secondsAgo * 1000).toISOString();

const runningPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-1',
    namespace: 'default',
    creationTimestamp: created(300),
    resourceVersion: '7',
  },
  spec: {
    nodeName: 'node-a',
    containers: [
      { name: 'a', image: 'x' },
      { name: 'b', image: 'y' },
    ],
  },
  status: {
    phase: 'Running',
    podIP: '10.1.0.5',
    containerStatuses: [
      {
        name: 'a',
        ready: true,
        restartCount: 2,
        state: { running: {} },
        lastState: { terminated: { finishedAt: created(60) } },
      },
      {
        name: 'b',
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
      },
    ],
  },
};

describe('Table output', () => {
  it('prints pods with the columns kubectl get shows, wide ones at priority 1', () => {
    const t = toTable(k('pods'), [runningPod], { now, resourceVersion: '9' });
    expect(t).toMatchObject({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '9' },
    });
    expect(t.columnDefinitions.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
    expect(t.columnDefinitions[0]).toMatchObject({ type: 'string', format: 'name' });
    expect(t.rows[0]?.cells).toEqual([
      'web-1',
      '1/2',
      'CrashLoopBackOff',
      '2 (60s ago)',
      '5m',
      '10.1.0.5',
      'node-a',
      '<none>',
      '<none>',
    ]);
  });

  it('includes PartialObjectMetadata by default, the full object or nothing on request', () => {
    const meta = toTable(k('pods'), [runningPod], { now }).rows[0]?.object;
    expect(meta).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: runningPod.metadata,
    });
    expect(toTable(k('pods'), [runningPod], { now, includeObject: 'Object' }).rows[0]?.object).toBe(
      runningPod,
    );
    expect(toTable(k('pods'), [runningPod], { now, includeObject: 'None' }).rows[0]).toEqual({
      cells: expect.any(Array),
    });
    expect(() => toTable(k('pods'), [], { includeObject: 'All' })).toThrow();
    try {
      toTable(k('pods'), [], { includeObject: 'All' });
    } catch (e) {
      expect(isBosunError(e, 'BadRequest')).toBe(true);
    }
  });

  it('shows Terminating, init progress and completed pods', () => {
    const deleting = {
      ...runningPod,
      metadata: { ...runningPod.metadata, deletionTimestamp: created(1) },
    };
    const init = {
      ...runningPod,
      spec: {
        ...runningPod.spec,
        initContainers: [
          { name: 'i1', image: 'i' },
          { name: 'i2', image: 'i' },
        ],
      },
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'i1', state: { terminated: { exitCode: 0 } } },
          { name: 'i2', state: { running: {} } },
        ],
      },
    };
    const done = {
      ...runningPod,
      status: {
        phase: 'Succeeded',
        containerStatuses: [
          { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        ],
      },
    };
    const cells = toTable(k('pods'), [deleting, init, done], { now }).rows.map((r) => r.cells[2]);
    expect(cells).toEqual(['Terminating', 'Init:1/2', 'Completed']);
  });

  it('prints deployments with READY UP-TO-DATE AVAILABLE and wide CONTAINERS IMAGES SELECTOR', () => {
    const d = {
      metadata: { name: 'web', creationTimestamp: created(3 * 86400 + 3600) },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
      },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    const t = toTable(k('deployments', 'apps'), [d], { now });
    expect(t.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Up-to-date',
      'Available',
      'Age',
      'Containers',
      'Images',
      'Selector',
    ]);
    expect(t.rows[0]?.cells).toEqual(['web', '2/3', 3, 2, '3d1h', 'app', 'nginx:1.27', 'app=web']);
  });

  it('prints services, nodes, namespaces, configmaps and secrets', () => {
    const svc = {
      metadata: { name: 's', creationTimestamp: created(30) },
      spec: {
        type: 'NodePort',
        clusterIP: '10.96.0.10',
        ports: [
          { port: 80, nodePort: 30080, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
        selector: { app: 'web' },
      },
    };
    expect(toTable(k('services'), [svc], { now }).rows[0]?.cells).toEqual([
      's',
      'NodePort',
      '10.96.0.10',
      '<none>',
      '80:30080/TCP,53/UDP',
      '30s',
      'app=web',
    ]);
    const node = {
      metadata: {
        name: 'n1',
        creationTimestamp: created(7200),
        labels: { 'node-role.kubernetes.io/control-plane': '' },
      },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        nodeInfo: { kubeletVersion: 'v1.32.0' },
        addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
      },
    };
    expect(toTable(k('nodes'), [node], { now }).rows[0]?.cells.slice(0, 6)).toEqual([
      'n1',
      'Ready,SchedulingDisabled',
      'control-plane',
      '120m',
      'v1.32.0',
      '10.0.0.1',
    ]);
    expect(
      toTable(
        k('namespaces'),
        [
          {
            metadata: { name: 'default', creationTimestamp: created(10) },
            status: { phase: 'Active' },
          },
        ],
        { now },
      ).rows[0]?.cells,
    ).toEqual(['default', 'Active', '10s']);
    expect(
      toTable(k('configmaps'), [{ metadata: { name: 'c' }, data: { a: '1', b: '2' } }], { now })
        .rows[0]?.cells,
    ).toEqual(['c', 2, '<unknown>']);
    const secretTable = toTable(
      k('secrets'),
      [{ metadata: { name: 's' }, type: 'Opaque', data: { a: 'MQ==' } }],
      { now },
    );
    expect(secretTable.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Type',
      'Data',
      'Age',
    ]);
    expect(secretTable.rows[0]?.cells.slice(0, 3)).toEqual(['s', 'Opaque', 1]);
  });

  it('prints jobs with status and completions', () => {
    const job = {
      metadata: { name: 'j', creationTimestamp: created(100) },
      spec: {
        completions: 1,
        parallelism: 1,
        template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      },
      status: {
        succeeded: 1,
        startTime: created(100),
        completionTime: created(90),
        conditions: [{ type: 'Complete', status: 'True' }],
      },
    };
    expect(toTable(k('jobs', 'batch'), [job], { now }).rows[0]?.cells.slice(0, 5)).toEqual([
      'j',
      'Complete',
      '1/1',
      '10s',
      '100s',
    ]);
  });

  it('falls back to NAME and AGE', () => {
    const t = toTable(
      k('leases', 'coordination.k8s.io'),
      [{ metadata: { name: 'l' }, spec: { holderIdentity: 'me' } }],
      { now },
    );
    expect(t.rows[0]?.cells).toEqual(['l', 'me', '<unknown>']);
    const widgets = new KindRegistry([
      {
        ...k('leases', 'coordination.k8s.io'),
        group: 'bosun.dev',
        kind: 'Widget',
        resource: 'widgets',
        singular: 'widget',
      },
    ]).kinds()[0]!;
    const fallback = toTable(
      widgets,
      [{ metadata: { name: 'w', creationTimestamp: created(3) } }],
      { now },
    );
    expect(fallback.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(fallback.rows[0]?.cells).toEqual(['w', '3s']);
  });

  it('formats ages like kubectl', () => {
    expect(
      [5, 119, 125, 600, 7200, 9 * 3600, 3 * 86400, 10 * 86400, 800 * 86400].map((s) =>
        humanDuration(s * 1000),
      ),
    ).toEqual(['5s', '119s', '2m5s', '10m', '120m', '9h', '3d', '10d', '2y70d']);
  });
});

describe('events.k8s.io and list helpers', () => {
  it('prints events.k8s.io/v1 Events with the core event columns', () => {
    const ev = {
      metadata: { name: 'e1', creationTimestamp: created(30) },
      type: 'Normal',
      reason: 'Scheduled',
      note: 'placed ',
      regarding: { kind: 'Pod', name: 'web-1' },
      reportingController: 'bosun-scheduler',
    };
    const t = toTable(k('events', 'events.k8s.io'), [ev], { now });
    expect(t.columnDefinitions.map((c) => c.name)).toEqual([
      'Last Seen',
      'Type',
      'Reason',
      'Object',
      'Subobject',
      'Source',
      'Message',
      'First Seen',
      'Count',
      'Name',
    ]);
    expect(t.rows[0]?.cells).toEqual([
      '30s',
      'Normal',
      'Scheduled',
      'pod/web-1',
      '',
      'bosun-scheduler',
      'placed',
      '<unknown>',
      1,
      'e1',
    ]);
  });

  it('wraps items into a typed list', () => {
    const list = toList(k('pods'), [{ metadata: { name: 'a' } }], {
      resourceVersion: '5',
      continue: '',
    });
    expect(list).toEqual({
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '5' },
      items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }],
    });
  });
});
