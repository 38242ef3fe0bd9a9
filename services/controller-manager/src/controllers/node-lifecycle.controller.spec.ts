import type { Lease, Node } from '@bosun/api-types';
import type { Toleration } from '@bosun/api-types';
import { testing } from '@bosun/controller-kit';
import { createHarness } from '../testing/harness';
import type { Pod } from '../workloads/types';
import {
  nodeLifecycleController,
  NodeLifecycleReconciler,
  type NodeLifecycleOptions,
} from './node-lifecycle.controller';
import { Resources as Refs } from '../ports/resources';
import { FakeObjectWriter } from './testing/fake-object-writer';

const SEC = 1000;
const readyNode = (status = 'True', heartbeat = '2026-01-01T00:00:00Z'): Node => ({
  metadata: { name: 'n1' },
  spec: {},
  status: {
    conditions: [
      {
        type: 'Ready',
        status: status as 'True',
        reason: 'KubeletReady',
        lastHeartbeatTime: heartbeat,
      },
      {
        type: 'MemoryPressure',
        status: 'False',
        reason: 'KubeletHasSufficientMemory',
        lastHeartbeatTime: heartbeat,
      },
    ],
  },
});
const lease = (renewTime: string): Lease => ({
  metadata: { name: 'n1', namespace: 'kube-node-lease' },
  spec: { holderIdentity: 'n1', renewTime },
});
const defaultTolerations: Toleration[] = [
  {
    key: 'node.kubernetes.io/not-ready',
    operator: 'Exists',
    effect: 'NoExecute',
    tolerationSeconds: 300,
  },
  {
    key: 'node.kubernetes.io/unreachable',
    operator: 'Exists',
    effect: 'NoExecute',
    tolerationSeconds: 300,
  },
];
type Phase = NonNullable<NonNullable<Pod['status']>['phase']>;
const pod = (name: string, tolerations: Toleration[], phase: Phase = 'Running'): Pod => ({
  metadata: { name, namespace: 'ns' },
  spec: { nodeName: 'n1', tolerations, containers: [] },
  status: { phase },
});

async function setup(node: Node = readyNode(), opts: NodeLifecycleOptions = {}) {
  const clock = new testing.FakeClock();
  const writer = new FakeObjectWriter(clock);
  writer.seed(Refs.nodes, node);
  writer.seed(Refs.leases, lease('2026-01-01T00:00:00.000000Z'));
  const deps = {
    ...opts,
    nodes: await writer.informer<Node>(Refs.nodes),
    leases: await writer.informer<Lease>(Refs.leases),
    pods: await writer.informer<Pod>(Refs.pods),
    writer,
    clock,
  };
  const reconciler = new NodeLifecycleReconciler(deps);
  return {
    clock,
    writer,
    reconcile: () => reconciler.reconcile('n1'),
    node: () => deps.nodes.get('n1')!,
    taints: () => (deps.nodes.get('n1')!.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`),
    renew: () => writer.replace(Refs.leases, lease(new Date(clock.now()).toISOString())),
    podNames: () =>
      deps.pods
        .list()
        .map((p) => p.metadata.name)
        .sort(),
  };
}

describe('node lifecycle reconcile', () => {
  it('leaves a heartbeating node alone and looks again when its grace period would run out', async () => {
    const t = await setup();
    expect(await t.reconcile()).toEqual({ requeueAfter: 40 * SEC });
    await t.clock.advance(30 * SEC);
    t.renew();
    expect(await t.reconcile()).toEqual({ requeueAfter: 40 * SEC });
    await t.clock.advance(30 * SEC);
    await t.reconcile();
    expect(t.writer.take()).toEqual([]);
  });

  it('turns a node silent for the grace period Unknown and taints it unreachable', async () => {
    const t = await setup();
    await t.reconcile();
    await t.clock.advance(40 * SEC);
    await t.reconcile();
    expect(t.writer.take()).toEqual(['status nodes n1', 'update nodes n1']);
    expect(t.node().status!.conditions).toEqual([
      {
        type: 'Ready',
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
        lastHeartbeatTime: '2026-01-01T00:00:00Z',
        lastTransitionTime: '2026-01-01T00:00:40Z',
      },
      expect.objectContaining({
        type: 'MemoryPressure',
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
      }),
      expect.objectContaining({
        type: 'DiskPressure',
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
      }),
      expect.objectContaining({
        type: 'PIDPressure',
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
      }),
    ]);
    expect(t.node().spec!.taints).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      {
        key: 'node.kubernetes.io/unreachable',
        effect: 'NoExecute',
        timeAdded: '2026-01-01T00:00:40Z',
      },
    ]);
    await t.reconcile();
    expect(t.writer.take()).toEqual([]);
  });

  it('honours a configured grace period', async () => {
    const t = await setup(readyNode(), { gracePeriodMs: 10 * SEC });
    expect(await t.reconcile()).toEqual({ requeueAfter: 10 * SEC });
    await t.clock.advance(10 * SEC);
    await t.reconcile();
    expect(t.taints()).toContain('node.kubernetes.io/unreachable:NoExecute');
  });

  it('evicts pods when their toleration of the taint runs out; untolerating ones at once', async () => {
    const t = await setup();
    t.writer.seed(Refs.pods, pod('tolerant', defaultTolerations));
    t.writer.seed(Refs.pods, pod('intolerant', []));
    t.writer.seed(Refs.pods, pod('forever', [{ operator: 'Exists' }]));
    t.writer.seed(Refs.pods, pod('done', [], 'Succeeded'));
    await t.reconcile();
    await t.clock.advance(40 * SEC);
    expect(await t.reconcile()).toEqual({ requeueAfter: 300 * SEC });
    expect(t.writer.take()).toEqual([
      'status nodes n1',
      'update nodes n1',
      'delete pods ns/intolerant',
    ]);
    await t.clock.advance(299 * SEC);
    expect(await t.reconcile()).toEqual({ requeueAfter: SEC });
    await t.clock.advance(SEC);
    expect(await t.reconcile()).toBeUndefined();
    expect(t.writer.take()).toEqual(['delete pods ns/tolerant']);
    expect(t.podNames()).toEqual(['done', 'forever']);
  });

  it('does not evict when eviction is turned off', async () => {
    const t = await setup(readyNode(), { evictPods: false });
    t.writer.seed(Refs.pods, pod('intolerant', []));
    await t.reconcile();
    await t.clock.advance(40 * SEC);
    await t.reconcile();
    expect(t.podNames()).toEqual(['intolerant']);
  });

  it('removes the taints when the node reports Ready again', async () => {
    const t = await setup();
    await t.reconcile();
    await t.clock.advance(40 * SEC);
    await t.reconcile();
    t.writer.take();
    t.renew();
    t.writer.replace(Refs.nodes, {
      ...t.node(),
      status: readyNode('True', '2026-01-01T00:00:45Z').status,
    });
    await t.reconcile();
    expect(t.writer.take()).toEqual(['update nodes n1']);
    expect(t.taints()).toEqual([]);
  });

  it('taints a node that reports Ready=False not-ready', async () => {
    const t = await setup(readyNode('False'));
    await t.reconcile();
    expect(t.writer.take()).toEqual(['update nodes n1']);
    expect(t.taints()).toEqual([
      'node.kubernetes.io/not-ready:NoSchedule',
      'node.kubernetes.io/not-ready:NoExecute',
    ]);
  });

  it('gives a node that never posted status the startup grace period', async () => {
    const t = await setup({ metadata: { name: 'n1' } });
    expect(await t.reconcile()).toEqual({ requeueAfter: 60 * SEC });
    await t.clock.advance(60 * SEC);
    await t.reconcile();
    expect(t.node().status!.conditions!.map((c) => `${c.type}=${c.status}:${c.reason}`)).toEqual([
      'Ready=Unknown:NodeStatusNeverUpdated',
      'MemoryPressure=Unknown:NodeStatusNeverUpdated',
      'DiskPressure=Unknown:NodeStatusNeverUpdated',
      'PIDPressure=Unknown:NodeStatusNeverUpdated',
    ]);
  });

  it('keeps taints it does not own', async () => {
    const node = readyNode();
    node.spec = { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] };
    const t = await setup(node);
    await t.reconcile();
    await t.clock.advance(40 * SEC);
    await t.reconcile();
    expect(t.taints()).toEqual([
      'dedicated:NoSchedule',
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
    ]);
  });
});

describe('nodeLifecycleController', () => {
  it("takes its timings from the context (the manager's CONTROLLER_MANAGER_NODE_MONITOR_GRACE_PERIOD)", async () => {
    const h = createHarness(Date.parse('2026-01-01T00:00:00Z'));
    await h.cluster.create(Refs.nodes, readyNode());
    await h.cluster.create(Refs.leases, lease('2026-01-01T00:00:00.000000Z'));
    const c = await h.controller((ctx) =>
      nodeLifecycleController({ ...ctx, nodeLifecycle: { gracePeriodMs: 5 * SEC } }),
    );
    await h.drain(c);
    await h.clock.advance(5 * SEC);
    await h.drain(c);
    const [node] = await h.cluster.all<Node>(Refs.nodes);
    expect(node!.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('Unknown');
    h.stop();
  });
});
