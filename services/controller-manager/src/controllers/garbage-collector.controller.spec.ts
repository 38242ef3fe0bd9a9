import type { Controller, KubeObject } from '@bosun/controller-kit';
import { Resources } from '../ports/resources';
import { createHarness, type Harness } from '../testing/harness';
import type { ObjectMeta } from '../workloads/types';
import { garbageCollectorController } from './garbage-collector.controller';

type Obj = KubeObject & { metadata: ObjectMeta };

const ownerRef = (o: Obj, kind: string, apiVersion: string, block = true) => ({
  apiVersion,
  kind,
  name: o.metadata.name ?? '',
  uid: o.metadata.uid ?? '',
  controller: true,
  blockOwnerDeletion: block,
});

describe('garbage collector (unit, in-memory fakes)', () => {
  let h: Harness;
  let c: Controller;
  beforeEach(() => {
    h = createHarness();
  });
  afterEach(() => h.stop());

  const seedChain = () => {
    const d = h.cluster.seed<Obj>(Resources.deployments, {
      metadata: { name: 'd', namespace: 'ns' },
      spec: {},
    });
    const rs = h.cluster.seed<Obj>(Resources.replicaSets, {
      metadata: {
        name: 'rs',
        namespace: 'ns',
        ownerReferences: [ownerRef(d, 'Deployment', 'apps/v1')],
      },
      spec: {},
    });
    const pod = h.cluster.seed<Obj>(Resources.pods, {
      metadata: {
        name: 'p',
        namespace: 'ns',
        ownerReferences: [ownerRef(rs, 'ReplicaSet', 'apps/v1')],
      },
      spec: {},
    });
    return { d, rs, pod };
  };
  const exists = (
    ref: typeof Resources.pods | typeof Resources.replicaSets | typeof Resources.deployments,
    name: string,
  ) => h.cluster.get(ref, 'ns', name) !== undefined;

  it('deletes dependents whose owner is gone, down the chain (background)', async () => {
    seedChain();
    c = await h.controller(garbageCollectorController);
    await h.drain(c);
    expect(h.cluster.writes).toEqual([]);
    await h.cluster.delete(Resources.deployments, 'ns', 'd');
    h.cluster.clearWrites();
    await h.drain(c);
    expect(h.cluster.writes.map((w) => `${w.verb} ${w.resource} ${w.key}`)).toEqual([
      'delete replicasets ns/rs',
      'delete pods ns/p',
    ]);
  });

  it('confirms a cache miss with a live read before deleting (the owner may just be new)', async () => {
    const { rs } = seedChain();
    c = await h.controller(garbageCollectorController);
    // The pod's owner is missing from the cache but alive in the API.
    const realGet = h.cluster.liveGet.bind(h.cluster);
    h.cluster.liveGet = async (ref, ns, name) =>
      ref.resource === 'replicasets' ? rs : realGet(ref, ns, name);
    const pod = h.cluster.get<Obj>(Resources.pods, 'ns', 'p') as Obj;
    await h.cluster.update(Resources.pods, {
      ...pod,
      metadata: {
        ...pod.metadata,
        ownerReferences: [{ ...ownerRef(rs, 'ReplicaSet', 'apps/v1'), name: 'elsewhere' }],
      },
    });
    h.cluster.clearWrites();
    await h.drain(c);
    expect(h.cluster.writes).toEqual([]);
  });

  it('foreground: deletes blocking dependents first, then removes the foregroundDeletion finalizer', async () => {
    seedChain();
    c = await h.controller(garbageCollectorController);
    await h.cluster.delete(Resources.deployments, 'ns', 'd', { propagationPolicy: 'Foreground' });
    expect(h.cluster.get<Obj>(Resources.deployments, 'ns', 'd')?.metadata.finalizers).toEqual([
      'foregroundDeletion',
    ]);
    await h.drain(c);
    expect(exists(Resources.pods, 'p')).toBe(false);
    expect(exists(Resources.replicaSets, 'rs')).toBe(false);
    expect(exists(Resources.deployments, 'd')).toBe(false);
    const order = h.cluster.writes.filter((w) => w.verb === 'delete').map((w) => w.key);
    expect(order[0]).toBe('ns/d');
    // The RS went in the foreground too (it had a pod), so the pod was deleted before it.
    const rsDelete = h.cluster.writes.find((w) => w.verb === 'delete' && w.key === 'ns/rs');
    expect(rsDelete?.opts?.propagationPolicy).toBe('Foreground');
  });

  it('orphan: removes the owner reference from dependents, then the orphan finalizer', async () => {
    seedChain();
    c = await h.controller(garbageCollectorController);
    await h.cluster.delete(Resources.replicaSets, 'ns', 'rs', { propagationPolicy: 'Orphan' });
    await h.drain(c);
    expect(exists(Resources.replicaSets, 'rs')).toBe(false);
    expect(h.cluster.get<Obj>(Resources.pods, 'ns', 'p')?.metadata.ownerReferences).toBeUndefined();
    expect(h.cluster.writes.filter((w) => w.verb === 'delete').map((w) => w.key)).toEqual([
      'ns/rs',
    ]);
  });

  it('drops only the dangling reference when another owner still exists', async () => {
    const { d, rs } = seedChain();
    const pod = h.cluster.get<Obj>(Resources.pods, 'ns', 'p') as Obj;
    await h.cluster.update(Resources.pods, {
      ...pod,
      metadata: {
        ...pod.metadata,
        ownerReferences: [
          ownerRef(rs, 'ReplicaSet', 'apps/v1'),
          { ...ownerRef(d, 'Deployment', 'apps/v1'), controller: false },
        ],
      },
    });
    c = await h.controller(garbageCollectorController);
    await h.cluster.delete(Resources.replicaSets, 'ns', 'rs', {});
    h.cluster.clearWrites();
    await h.drain(c);
    expect(exists(Resources.pods, 'p')).toBe(true);
    expect(
      h.cluster.get<Obj>(Resources.pods, 'ns', 'p')?.metadata.ownerReferences?.map((r) => r.kind),
    ).toEqual(['Deployment']);
  });
});
