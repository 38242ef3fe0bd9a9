import type { ResourceRef } from '@bosun/api-client';
import type { Controller, KubeObject } from '@bosun/controller-kit';
import { Resources } from '../ports/resources';
import { createHarness, type Harness } from '../testing/harness';
import type { Pod, ReplicaSet } from '../workloads/types';
import { replicaSetController } from './replica-set.controller';

const rsTemplate = (replicas: number): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'ns', generation: 3, uid: 'rs-uid' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web', tier: 'front' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    },
  },
});

const pod = (name: string, extra: Partial<Pod['metadata']> = {}, status?: Pod['status']): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', labels: { app: 'web', tier: 'front' }, ...extra },
  spec: { containers: [] },
  status,
});
const owned = {
  ownerReferences: [
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true },
  ],
};
const ready = { phase: 'Running' as const, conditions: [{ type: 'Ready', status: 'True' }] };

describe('ReplicaSet controller (unit, in-memory fakes)', () => {
  let h: Harness;
  let c: Controller;
  beforeEach(() => {
    h = createHarness();
  });
  afterEach(() => h.stop());

  const start = async () => {
    c = await h.controller(replicaSetController);
  };
  const creates = () => h.cluster.writes.filter((w) => w.verb === 'create');
  const podsNow = async () =>
    (await h.cluster.all<Pod>(Resources.pods)).filter((p) => !p.metadata.deletionTimestamp);

  it('creates exactly spec.replicas pods named <rs>- with the set as controller, then sets status', async () => {
    h.cluster.seed(Resources.replicaSets, rsTemplate(3));
    await start();
    await h.drain(c);
    expect(creates()).toHaveLength(3);
    for (const w of creates()) {
      const p = w.object as Pod;
      expect(p.metadata.name).toMatch(/^web-/);
      expect(p.metadata.labels).toEqual({ app: 'web', tier: 'front' });
      expect(p.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web',
          uid: expect.any(String),
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
    const rs = h.cluster.get<ReplicaSet>(Resources.replicaSets, 'ns', 'web');
    expect(rs?.status).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 3,
      readyReplicas: 0,
      availableReplicas: 0,
      observedGeneration: 3,
    });
  });

  it('does not create again while its own creations are not yet in the cache (expectations)', async () => {
    const rs = h.cluster.seed(Resources.replicaSets, rsTemplate(2));
    await start();
    // Hide created pods from the informer: creations "in flight".
    const realCreate = h.cluster.create.bind(h.cluster);
    const held: Pod[] = [];
    h.cluster.create = async <T>(_ref: unknown, obj: T) => {
      held.push(obj as Pod);
      return obj;
    };
    await h.drain(c);
    expect(held).toHaveLength(2);
    c.queue.add('ns/web');
    await h.drain(c);
    expect(held).toHaveLength(2);
    h.cluster.create = realCreate;
    for (const p of held) await h.cluster.create(Resources.pods, p);
    await h.drain(c);
    expect(await podsNow()).toHaveLength(2);
    expect(rs.metadata.uid).toBeDefined();
  });

  it('creates in slow-start batches and stops at the first failing batch', async () => {
    h.cluster.seed(Resources.replicaSets, rsTemplate(10));
    await start();
    const realCreate = h.cluster.create.bind(h.cluster);
    let attempts = 0;
    h.cluster.create = async <T extends KubeObject>(ref: ResourceRef, obj: T) => {
      attempts++;
      if (attempts > 3) throw new Error('quota exceeded');
      return realCreate(ref, obj);
    };
    expect(await c.processNext()).toBe('error');
    // Batches of 1 and 2 succeeded; the batch of 4 failed as a whole (all four were tried).
    expect(attempts).toBe(7);
    expect(await podsNow()).toHaveLength(3);
    h.cluster.create = realCreate;
    await h.clock.advance(60_000);
    await h.drain(c);
    expect(await podsNow()).toHaveLength(10);
  });

  it('replaces a deleted pod and a Failed pod', async () => {
    h.cluster.seed(Resources.replicaSets, rsTemplate(2));
    await start();
    await h.drain(c);
    const [a, b] = await podsNow();
    await h.cluster.delete(Resources.pods, 'ns', a.metadata.name ?? '');
    await h.cluster.updateStatus(Resources.pods, { ...b, status: { phase: 'Failed' } });
    h.cluster.clearWrites();
    await h.drain(c);
    expect(creates()).toHaveLength(2);
    expect((await podsNow()).filter((p) => p.status?.phase !== 'Failed')).toHaveLength(2);
  });

  it('deletes surplus pods, unscheduled and not-ready first', async () => {
    const rs = h.cluster.seed(Resources.replicaSets, rsTemplate(1));
    const ref = { ownerReferences: [{ ...owned.ownerReferences[0], uid: rs.metadata.uid ?? '' }] };
    h.cluster.seed(Resources.pods, { ...pod('ready-old', ref, ready), spec: { nodeName: 'n1' } });
    h.cluster.seed(Resources.pods, {
      ...pod('running-notready', ref, { phase: 'Running' }),
      spec: { nodeName: 'n1' },
    });
    h.cluster.seed(Resources.pods, pod('unscheduled', ref, { phase: 'Pending' }));
    await start();
    await h.drain(c);
    const deletes = h.cluster.writes.filter((w) => w.verb === 'delete').map((w) => w.key);
    expect(deletes.sort()).toEqual(['ns/running-notready', 'ns/unscheduled']);
    expect(creates()).toHaveLength(0);
  });

  it('adopts a matching orphan and releases an owned pod that stopped matching', async () => {
    const rs = h.cluster.seed(Resources.replicaSets, rsTemplate(2));
    const ref = { ownerReferences: [{ ...owned.ownerReferences[0], uid: rs.metadata.uid ?? '' }] };
    h.cluster.seed(Resources.pods, pod('orphan'));
    h.cluster.seed(Resources.pods, {
      ...pod('relabelled', ref),
      metadata: { ...pod('x').metadata, name: 'relabelled', labels: { app: 'other' }, ...ref },
    });
    h.cluster.seed(
      Resources.pods,
      pod('foreign', {
        ownerReferences: [
          { apiVersion: 'apps/v1', uid: 'other', kind: 'ReplicaSet', name: 'x', controller: true },
        ],
      }),
    );
    await start();
    await h.drain(c);
    const patches = h.cluster.writes.filter((w) => w.verb === 'patch');
    expect(patches.map((w) => w.key).sort()).toEqual(['ns/orphan', 'ns/relabelled']);
    expect(
      h.cluster.get<Pod>(Resources.pods, 'ns', 'orphan')?.metadata.ownerReferences?.[0].uid,
    ).toBe(rs.metadata.uid);
    expect(
      h.cluster.get<Pod>(Resources.pods, 'ns', 'relabelled')?.metadata.ownerReferences,
    ).toBeUndefined();
    expect(
      h.cluster.get<Pod>(Resources.pods, 'ns', 'foreign')?.metadata.ownerReferences?.[0].uid,
    ).toBe('other');
    expect(creates()).toHaveLength(1); // orphan adopted + one new = 2
  });

  it('counts ready and available (minReadySeconds) pods and requeues until they are available', async () => {
    const rs = h.cluster.seed(Resources.replicaSets, {
      ...rsTemplate(1),
      spec: { ...rsTemplate(1).spec, minReadySeconds: 10 },
    });
    const ref = { ownerReferences: [{ ...owned.ownerReferences[0], uid: rs.metadata.uid ?? '' }] };
    const since = new Date(h.clock.now()).toISOString();
    h.cluster.seed(
      Resources.pods,
      pod('p', ref, {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }],
      }),
    );
    await start();
    await h.drain(c);
    expect(h.cluster.get<ReplicaSet>(Resources.replicaSets, 'ns', 'web')?.status).toMatchObject({
      readyReplicas: 1,
      availableReplicas: 0,
    });
    await h.clock.advance(10_001);
    await h.drain(c);
    expect(h.cluster.get<ReplicaSet>(Resources.replicaSets, 'ns', 'web')?.status).toMatchObject({
      readyReplicas: 1,
      availableReplicas: 1,
    });
  });

  it('after a restart trusts the listed pods: no extra creations', async () => {
    h.cluster.seed(Resources.replicaSets, rsTemplate(3));
    await start();
    await h.drain(c);
    h.stop();
    const h2 = createHarness();
    for (const rs of await h.cluster.all(Resources.replicaSets))
      h2.cluster.seed(Resources.replicaSets, rs);
    for (const p of await h.cluster.all(Resources.pods)) h2.cluster.seed(Resources.pods, p);
    const c2 = await h2.controller(replicaSetController);
    await h2.drain(c2);
    expect(h2.cluster.writes.filter((w) => w.verb === 'create' || w.verb === 'delete')).toEqual([]);
    h2.stop();
  });
});
