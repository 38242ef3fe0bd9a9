import type { EndpointSlice, Node, Pod, Service } from '@bosun/api-types';
import { testing } from '@bosun/controller-kit';
import { Resources as Refs } from '../ports/resources';
import { createHarness } from '../testing/harness';
import { endpointSliceController, EndpointSliceReconciler } from './endpoint-slice.controller';
import { FakeObjectWriter } from './testing/fake-object-writer';
import { T0, webPod, webService } from './testing/service-fixtures';

const service = (extra: Partial<Service['spec']> = {}): Service => {
  const svc = webService({
    ports: [{ name: 'http', port: 80, targetPort: 'http' as unknown as number }],
    ...extra,
  });
  return { ...svc, metadata: { ...svc.metadata, labels: { team: 'a' } } };
};
const pod = webPod;
const endpoint = (name: string, ip: string, ready = true, terminating = false, zone = 'z1') => ({
  addresses: [ip],
  conditions: { ready: ready && !terminating, serving: ready, terminating },
  nodeName: 'n1',
  zone,
  targetRef: { kind: 'Pod', namespace: 'ns', name, uid: `uid-${name}` },
});

async function setup(max = 100) {
  const clock = new testing.FakeClock(Date.parse(T0));
  const writer = new FakeObjectWriter(clock);
  writer.seed<Node>(Refs.nodes, {
    metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z1' } },
  });
  const deps = {
    services: await writer.informer<Service>(Refs.services),
    pods: await writer.informer<Pod>(Refs.pods),
    nodes: await writer.informer<Node>(Refs.nodes),
    slices: await writer.informer<EndpointSlice>(Refs.endpointSlices),
    writer,
    maxEndpointsPerSlice: max,
  };
  const slices = async () => writer.all<EndpointSlice>(Refs.endpointSlices);
  return { writer, deps, reconciler: new EndpointSliceReconciler(deps), slices, clock };
}

describe('EndpointSlice reconcile', () => {
  it('publishes the selected pods with a podIP, their conditions, node, zone and ports', async () => {
    const t = await setup();
    t.writer.seed(Refs.services, service());
    t.writer.seed(Refs.pods, pod('a', '10.244.0.5'));
    t.writer.seed(Refs.pods, pod('b', '10.244.0.6', { ready: false }));
    t.writer.seed(Refs.pods, pod('c', '10.244.0.7', { terminating: true }));
    t.writer.seed(Refs.pods, pod('pending', undefined));
    t.writer.seed(Refs.pods, {
      ...pod('other', '10.244.0.9'),
      metadata: { name: 'other', namespace: 'ns', labels: { app: 'db' } },
    });
    await t.reconciler.reconcile('ns/web');
    expect(t.writer.take()).toEqual(['create endpointslices ns/web-00001']);
    const [slice] = await t.slices();
    expect(slice.metadata.labels).toEqual({
      team: 'a',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(slice.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        uid: 'svc-uid',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(slice.metadata.annotations).toEqual({
      'endpoints.kubernetes.io/last-change-trigger-time': T0,
    });
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints).toEqual([
      endpoint('a', '10.244.0.5'),
      endpoint('b', '10.244.0.6', false),
      endpoint('c', '10.244.0.7', true, true),
    ]);
  });

  it('marks every endpoint ready when the Service publishes not-ready addresses', async () => {
    const t = await setup();
    t.writer.seed(Refs.services, service({ publishNotReadyAddresses: true }));
    t.writer.seed(Refs.pods, pod('b', '10.244.0.6', { ready: false }));
    t.writer.seed(Refs.pods, pod('c', '10.244.0.7', { terminating: true }));
    await t.reconciler.reconcile('ns/web');
    const [slice] = await t.slices();
    expect(slice.endpoints.map((e) => e.conditions)).toEqual([
      { ready: true, serving: true, terminating: false },
      { ready: true, serving: true, terminating: true },
    ]);
  });

  it('puts pods whose named port resolves differently into different slices', async () => {
    const t = await setup();
    t.writer.seed(Refs.services, service());
    t.writer.seed(Refs.pods, pod('a', '10.244.0.5', { port: 8080 }));
    t.writer.seed(Refs.pods, pod('b', '10.244.0.6', { port: 9090 }));
    await t.reconciler.reconcile('ns/web');
    const slices = await t.slices();
    expect(slices.map((s) => [s.ports?.[0].port, s.endpoints.map((e) => e.addresses[0])])).toEqual([
      [8080, ['10.244.0.5']],
      [9090, ['10.244.0.6']],
    ]);
  });

  it('writes nothing when nothing changed, and updates only the slice that did', async () => {
    const t = await setup(2);
    t.writer.seed(Refs.services, service());
    for (const [i, n] of ['a', 'b', 'c'].entries())
      t.writer.seed(Refs.pods, pod(n, `10.244.0.${i + 1}`));
    await t.reconciler.reconcile('ns/web');
    expect(t.writer.take()).toEqual([
      'create endpointslices ns/web-00001',
      'create endpointslices ns/web-00002',
    ]);
    await t.reconciler.reconcile('ns/web');
    expect(t.writer.take()).toEqual([]);

    t.writer.replace(Refs.pods, pod('c', '10.244.0.3', { ready: false }));
    await t.reconciler.reconcile('ns/web');
    expect(t.writer.take()).toEqual(['update endpointslices ns/web-00002']);
    const second = t.writer.get<EndpointSlice>(Refs.endpointSlices, 'ns', 'web-00002');
    expect(second?.endpoints).toEqual([endpoint('c', '10.244.0.3', false)]);
  });

  it('fills free room in an existing slice instead of creating one, and deletes emptied slices', async () => {
    const t = await setup(2);
    t.writer.seed(Refs.services, service());
    t.writer.seed(Refs.pods, pod('a', '10.244.0.1'));
    await t.reconciler.reconcile('ns/web');
    t.writer.take();
    t.writer.seed(Refs.pods, pod('b', '10.244.0.2'));
    await t.reconciler.reconcile('ns/web');
    expect(t.writer.take()).toEqual(['update endpointslices ns/web-00001']);

    await t.writer.delete(Refs.pods, 'ns', 'a');
    await t.writer.delete(Refs.pods, 'ns', 'b');
    t.writer.take();
    await t.reconciler.reconcile('ns/web');
    expect(t.writer.take()).toEqual(['delete endpointslices ns/web-00001']);
  });

  it('rewrites a slice in place when the resolved ports change, rather than delete and create', async () => {
    const t = await setup();
    t.writer.seed(Refs.services, service());
    t.writer.seed(Refs.pods, pod('a', '10.244.0.1'));
    await t.reconciler.reconcile('ns/web');
    t.writer.take();
    t.writer.replace(
      Refs.services,
      service({ ports: [{ name: 'http', port: 80, targetPort: 9000 }] }),
    );
    await t.reconciler.reconcile('ns/web');
    expect(t.writer.take()).toEqual(['update endpointslices ns/web-00001']);
    expect((await t.slices()).map((s) => s.ports)).toEqual([
      [{ name: 'http', port: 9000, protocol: 'TCP' }],
    ]);
  });

  it('keeps at most the slice size per slice', async () => {
    const t = await setup(100);
    t.writer.seed(Refs.services, service());
    for (let i = 0; i < 250; i++) {
      t.writer.seed(Refs.pods, pod(`p${i}`, `10.244.${i >> 8}.${i & 255}`));
    }
    await t.reconciler.reconcile('ns/web');
    expect((await t.slices()).map((s) => s.endpoints.length)).toEqual([100, 100, 50]);
  });

  it('waits for the cache to show its own writes instead of creating a twin slice', async () => {
    const t = await setup();
    t.writer.seed(Refs.services, service());
    t.writer.seed(Refs.pods, pod('a', '10.244.0.1'));
    const lagging = { ...t.deps, slices: { byIndex: () => [], getBy: () => undefined } };
    const reconciler = new EndpointSliceReconciler(lagging as unknown as typeof t.deps);
    await reconciler.reconcile('ns/web');
    expect(t.writer.take()).toEqual(['create endpointslices ns/web-00001']);
    expect(await reconciler.reconcile('ns/web')).toEqual({ requeueAfter: 1000 });
    expect(t.writer.take()).toEqual([]);
  });

  it('leaves Services without a selector alone', async () => {
    const t = await setup();
    t.writer.seed(Refs.services, service({ selector: undefined }));
    t.writer.seed(Refs.pods, pod('a', '10.244.0.1'));
    await t.reconciler.reconcile('ns/web');
    expect(t.writer.take()).toEqual([]);
  });
});

describe('EndpointSlice controller wiring', () => {
  it('syncs the Service a relabelled pod left, and dates the change from the pod getting its IP', async () => {
    const h = createHarness(Date.parse(T0));
    h.cluster.seed(Refs.nodes, { metadata: { name: 'n1' } });
    h.cluster.seed(Refs.services, {
      ...service(),
      metadata: { ...service().metadata, creationTimestamp: T0 },
    });
    h.cluster.seed(Refs.pods, pod('a', undefined));
    const controller = await h.controller(endpointSliceController);
    await h.drain(controller);
    expect(h.cluster.writes).toEqual([]);

    const later = '2026-01-01T00:05:00Z';
    const withIp = pod('a', '10.244.0.5');
    withIp.status!.conditions![0].lastTransitionTime = later;
    h.cluster
      .store(Refs.pods)
      .update({ ...withIp, metadata: { ...withIp.metadata, resourceVersion: undefined } });
    await h.drain(controller);
    const [created] = h.cluster.writes;
    expect(created.verb).toBe('create');
    expect(created.object?.metadata.annotations).toEqual({
      'endpoints.kubernetes.io/last-change-trigger-time': later,
    });

    h.cluster.clearWrites();
    const relabelled = { ...withIp, metadata: { ...withIp.metadata, labels: { app: 'db' } } };
    h.cluster
      .store(Refs.pods)
      .update({ ...relabelled, metadata: { ...relabelled.metadata, resourceVersion: undefined } });
    await h.drain(controller);
    expect(h.cluster.writes.map((w) => `${w.verb} ${w.key}`)).toEqual(['delete ns/web-00001']);
    h.stop();
  });
});
