import type { Endpoints, Pod, Service } from '@bosun/api-types';
import { testing } from '@bosun/controller-kit';
import { Resources as Refs } from '../ports/resources';
import { EndpointsReconciler } from './endpoints.controller';
import { FakeObjectWriter } from './testing/fake-object-writer';
import { T0, webPod, webService } from './testing/service-fixtures';

const service = (extra: Partial<Service['spec']> = {}): Service =>
  webService({ ports: [{ port: 80, targetPort: 8080 }], ...extra });
const pod = webPod;
const address = (name: string, ip: string) => ({
  ip,
  nodeName: 'n1',
  targetRef: { kind: 'Pod', namespace: 'ns', name, uid: `uid-${name}` },
});

async function setup() {
  const clock = new testing.FakeClock(Date.parse(T0));
  const writer = new FakeObjectWriter(clock);
  const deps = {
    services: await writer.informer<Service>(Refs.services),
    pods: await writer.informer<Pod>(Refs.pods),
    endpoints: await writer.informer<Endpoints>(Refs.endpoints),
    writer,
  };
  const current = () => writer.get<Endpoints>(Refs.endpoints, 'ns', 'web');
  return { writer, reconciler: new EndpointsReconciler(deps), current };
}

describe('Endpoints reconcile', () => {
  it('lists ready pods as addresses and the others as notReadyAddresses; terminating pods go', async () => {
    const t = await setup();
    t.writer.seed(Refs.services, service());
    t.writer.seed(Refs.pods, pod('b', '10.244.0.6'));
    t.writer.seed(Refs.pods, pod('a', '10.244.0.5'));
    t.writer.seed(Refs.pods, pod('u', '10.244.0.7', { ready: false }));
    t.writer.seed(Refs.pods, pod('t', '10.244.0.8', { terminating: true }));
    await t.reconciler.reconcile('ns/web');
    expect(t.writer.take()).toEqual(['create endpoints ns/web']);
    expect(t.current()?.subsets).toEqual([
      {
        addresses: [address('a', '10.244.0.5'), address('b', '10.244.0.6')],
        notReadyAddresses: [address('u', '10.244.0.7')],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
    expect(t.current()?.metadata.annotations).toEqual({
      'endpoints.kubernetes.io/last-change-trigger-time': T0,
    });
    expect(t.current()?.metadata.labels).toEqual({
      'endpointslice.kubernetes.io/skip-mirror': 'true',
    });

    await t.reconciler.reconcile('ns/web');
    expect(t.writer.take()).toEqual([]);
    t.writer.replace(Refs.pods, pod('u', '10.244.0.7'));
    await t.reconciler.reconcile('ns/web');
    expect(t.writer.take()).toEqual(['update endpoints ns/web']);
    expect(t.current()?.subsets?.[0].notReadyAddresses).toBeUndefined();
  });

  it('keeps terminating pods when the Service publishes not-ready addresses', async () => {
    const t = await setup();
    t.writer.seed(Refs.services, service({ publishNotReadyAddresses: true }));
    t.writer.seed(Refs.pods, pod('t', '10.244.0.8', { terminating: true }));
    await t.reconciler.reconcile('ns/web');
    expect(t.current()?.subsets).toEqual([
      { addresses: [address('t', '10.244.0.8')], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
  });

  it('truncates at 1000 addresses and says so', async () => {
    const t = await setup();
    t.writer.seed(Refs.services, service());
    for (let i = 0; i < 1005; i++)
      t.writer.seed(Refs.pods, pod(`p${i}`, `10.244.${i >> 8}.${i & 255}`));
    await t.reconciler.reconcile('ns/web');
    expect(t.current()?.subsets?.[0].addresses).toHaveLength(1000);
    expect(t.current()?.metadata.annotations?.['endpoints.kubernetes.io/over-capacity']).toBe(
      'truncated',
    );
  });

  it('deletes its Endpoints with the Service but never a user-made one', async () => {
    const t = await setup();
    t.writer.seed(Refs.services, service());
    await t.reconciler.reconcile('ns/web');
    await t.writer.delete(Refs.services, 'ns', 'web');
    t.writer.take();
    await t.reconciler.reconcile('ns/web');
    expect(t.writer.take()).toEqual(['delete endpoints ns/web']);

    t.writer.seed<Endpoints>(Refs.endpoints, { metadata: { name: 'web', namespace: 'ns' } });
    await t.reconciler.reconcile('ns/web');
    expect(t.writer.take()).toEqual([]);
  });

  it('leaves the Endpoints of a Service without a selector to the user', async () => {
    const t = await setup();
    t.writer.seed(Refs.services, service({ selector: undefined }));
    t.writer.seed<Endpoints>(Refs.endpoints, {
      metadata: { name: 'web', namespace: 'ns' },
      subsets: [{ addresses: [{ ip: '192.0.2.1' }] }],
    });
    await t.reconciler.reconcile('ns/web');
    expect(t.writer.take()).toEqual([]);
  });
});
