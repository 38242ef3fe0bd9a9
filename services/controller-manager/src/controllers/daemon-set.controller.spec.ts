import type { Node } from '@bosun/scheduling';
import { testing } from '@bosun/controller-kit';
import {
  DaemonSetReconciler,
  nodePlacementWatch,
  TemplateHashLabel,
  type DaemonSet,
} from './daemon-set.controller';
import { daemonPodNode } from './daemon-set-eligibility';
import type { Pod } from '../workloads/types';
import { Resources as Refs } from '../ports/resources';
import { FakeObjectWriter } from './testing/fake-object-writer';

const node = (name: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  ...extra,
});

const daemonSet = (spec: Record<string, unknown> = {}): DaemonSet => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'ns', generation: 1 },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: {
      metadata: { labels: { app: 'agent' } },
      spec: { containers: [{ name: 'a', image: 'busybox' }] },
    },
    ...spec,
  },
});

async function setup(nodes: object[], ds = daemonSet()) {
  const clock = new testing.FakeClock();
  const writer = new FakeObjectWriter(clock);
  for (const n of nodes) writer.seed(Refs.nodes, n as never);
  writer.seed(Refs.daemonSets, ds);
  const deps = {
    daemonSets: await writer.informer<DaemonSet>(Refs.daemonSets),
    pods: await writer.informer<Pod>(Refs.pods),
    nodes: await writer.informer<Node>(Refs.nodes),
    writer,
    clock,
  };
  const reconciler = new DaemonSetReconciler(deps);
  const pods = () => deps.pods.list();
  const podOn = (n: string) => pods().find((p) => daemonPodNode(p) === n)!;
  const setPod = (pod: Pod, status: Record<string, unknown>) =>
    writer.replace(Refs.pods, { ...pod, status });
  return {
    clock,
    writer,
    deps,
    reconciler,
    pods,
    podOn,
    setPod,
    reconcile: () => reconciler.reconcile('ns/agent'),
  };
}

const ready = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };

describe('DaemonSet reconcile', () => {
  it('creates one pod per node, pinned by required node affinity, with the daemon tolerations', async () => {
    const t = await setup([node('n1'), node('n2')]);
    await t.reconcile();
    expect(t.writer.take()).toEqual([
      'create pods ns/agent-00001',
      'create pods ns/agent-00002',
      'status daemonsets ns/agent',
    ]);
    const pod = t.podOn('n1') as Pod & {
      spec: { affinity: { nodeAffinity: Record<string, unknown> }; tolerations: unknown[] };
    };
    expect(
      pod.spec.affinity.nodeAffinity['requiredDuringSchedulingIgnoredDuringExecution'],
    ).toEqual({
      nodeSelectorTerms: [
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] },
      ],
    });
    expect(pod.spec.tolerations).toContainEqual({
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      effect: 'NoExecute',
    });
    expect(pod.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'DaemonSet', name: 'agent', controller: true }),
    ]);
    expect(pod.metadata.labels).toMatchObject({ app: 'agent', 'pod-template-generation': '1' });
    expect(t.deps.daemonSets.get('ns/agent')!.status).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 0,
      numberMisscheduled: 0,
      updatedNumberScheduled: 2,
      observedGeneration: 1,
    });
  });

  it('is idempotent: a second pass writes nothing', async () => {
    const t = await setup([node('n1')]);
    await t.reconcile();
    t.writer.take();
    await t.reconcile();
    expect(t.writer.take()).toEqual([]);
  });

  it('honours nodeSelector, node affinity and untolerated taints', async () => {
    const ds = daemonSet();
    ds.spec.template.spec['nodeSelector'] = { disk: 'ssd' };
    const t = await setup(
      [
        { metadata: { name: 'ssd', labels: { disk: 'ssd' } } },
        { metadata: { name: 'hdd', labels: { disk: 'hdd' } } },
        {
          metadata: { name: 'tainted', labels: { disk: 'ssd' } },
          spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] },
        },
        {
          metadata: { name: 'unreachable', labels: { disk: 'ssd' } },
          spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] },
        },
      ],
      ds,
    );
    await t.reconcile();
    expect(
      t
        .pods()
        .map((p) => daemonPodNode(p))
        .sort(),
    ).toEqual(['ssd', 'unreachable']);
  });

  it('follows nodes: a new node gets a pod, a removed node loses it', async () => {
    const t = await setup([node('n1')]);
    await t.reconcile();
    t.writer.seed(Refs.nodes, node('n2') as never);
    t.writer.port(Refs.nodes).delete('', 'n1');
    t.writer.take();
    await t.reconcile();
    expect(t.writer.take()).toEqual(['delete pods ns/agent-00001', 'create pods ns/agent-00002']);
    expect(t.pods().map((p) => daemonPodNode(p))).toEqual(['n2']);
  });

  it('keeps a pod on a node that gains an untolerated NoSchedule taint, evicts on NoExecute', async () => {
    const t = await setup([node('n1')]);
    await t.reconcile();
    const taint = (effect: string) => ({ ...node('n1'), spec: { taints: [{ key: 'k', effect }] } });
    t.writer.replace(Refs.nodes, taint('NoSchedule') as never);
    t.writer.take();
    await t.reconcile();
    expect(t.writer.take()).toEqual(['status daemonsets ns/agent']);
    expect(t.deps.daemonSets.get('ns/agent')!.status).toMatchObject({
      desiredNumberScheduled: 0,
      numberMisscheduled: 1,
    });
    t.writer.replace(Refs.nodes, taint('NoExecute') as never);
    await t.reconcile();
    expect(t.writer.take()).toEqual(['delete pods ns/agent-00001', 'status daemonsets ns/agent']);
  });

  it('does not create twice while its own create is not yet in the cache', async () => {
    const t = await setup([node('n1')]);
    // The informer stops seeing writes, as when the watch lags behind.
    t.deps.pods.stop();
    await t.reconcile();
    await t.reconcile();
    expect(t.writer.log.filter((l) => l.startsWith('create'))).toHaveLength(1);
  });

  it('replaces failed pods and counts ready ones', async () => {
    const t = await setup([node('n1'), node('n2')]);
    await t.reconcile();
    t.setPod(t.podOn('n1'), { phase: 'Failed' });
    t.setPod(t.podOn('n2'), ready);
    t.writer.take();
    await t.reconcile();
    expect(t.writer.take()).toEqual([
      'delete pods ns/agent-00001',
      'create pods ns/agent-00003',
      'status daemonsets ns/agent',
    ]);
    expect(t.deps.daemonSets.get('ns/agent')!.status).toMatchObject({
      numberReady: 1,
      numberAvailable: 1,
      numberUnavailable: 1,
    });
  });

  it('rolls a new template out at most maxUnavailable nodes at a time', async () => {
    const t = await setup([node('n1'), node('n2'), node('n3')]);
    await t.reconcile();
    for (const n of ['n1', 'n2', 'n3']) t.setPod(t.podOn(n), ready);
    const ds = t.deps.daemonSets.get('ns/agent')!;
    const next = structuredClone(ds) as DaemonSet;
    next.spec.template.spec['containers'] = [{ name: 'a', image: 'busybox:2' }];
    next.metadata['generation'] = 2;
    t.writer.replace(Refs.daemonSets, next);
    t.writer.take();
    await t.reconcile();
    expect(t.writer.take().filter((l) => l.startsWith('delete'))).toEqual([
      'delete pods ns/agent-00001',
    ]);
    await t.reconcile();
    const fresh = t.podOn('n1');
    expect(fresh.metadata.labels?.['pod-template-generation']).toBe('2');
    // n1's new pod is not ready yet: no other old pod may go.
    expect(t.writer.take().filter((l) => l.startsWith('delete'))).toEqual([]);
    t.setPod(fresh, ready);
    await t.reconcile();
    expect(t.writer.take().filter((l) => l.startsWith('delete'))).toEqual([
      'delete pods ns/agent-00002',
    ]);
    expect(fresh.metadata.labels?.[TemplateHashLabel]).not.toBe(
      t.podOn('n3').metadata.labels?.[TemplateHashLabel],
    );
  });

  it('leaves old pods alone under OnDelete', async () => {
    const t = await setup([node('n1')], daemonSet({ updateStrategy: { type: 'OnDelete' } }));
    await t.reconcile();
    const next = structuredClone(t.deps.daemonSets.get('ns/agent')!) as DaemonSet;
    next.spec.template.spec['containers'] = [{ name: 'a', image: 'busybox:2' }];
    t.writer.replace(Refs.daemonSets, next);
    t.writer.take();
    await t.reconcile();
    expect(t.writer.take()).toEqual(['status daemonsets ns/agent']);
    expect(t.deps.daemonSets.get('ns/agent')!.status).toMatchObject({ updatedNumberScheduled: 0 });
  });

  it('wakes the DaemonSets for node adds, deletes and label/taint changes, not for heartbeats', async () => {
    const t = await setup([node('n1')]);
    const changed = nodePlacementWatch(t.deps.nodes);
    const n1 = () => t.deps.nodes.get('n1')!;
    expect(changed(n1())).toBe(true);
    t.writer.replace(Refs.nodes, {
      ...n1(),
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
    expect(changed(n1())).toBe(false);
    t.writer.replace(Refs.nodes, {
      ...n1(),
      metadata: { ...n1().metadata, labels: { zone: 'b' } },
    });
    expect(changed(n1())).toBe(true);
    const gone = n1();
    t.writer.port(Refs.nodes).delete('', 'n1');
    expect(changed(gone)).toBe(true);
  });
});
