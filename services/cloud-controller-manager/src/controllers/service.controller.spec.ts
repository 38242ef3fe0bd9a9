import { LocalCloudProvider } from '../providers/local/local-provider';
import { FakeCloudCluster, lbService } from '../testing/fake-cloud-cluster';
import { ServiceReconciler } from './service.controller';

const FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';

async function setup(pool = '172.31.255.0/24') {
  const cluster = new FakeCloudCluster();
  await cluster.start();
  const cloud = new LocalCloudProvider({
    pool,
    region: 'local',
    zone: 'local',
    instanceType: 'local',
    services: () => cluster.services.list(),
  });
  const reconciler = new ServiceReconciler({
    services: cluster.services,
    nodes: cluster.nodes,
    balancers: cloud.loadBalancer(),
    writer: cluster,
    events: cluster,
    clusterName: 'bosun',
  });
  return {
    cluster,
    reconcile: (name: string) => reconciler.reconcile(`default/${name}`),
    ingress: (name: string) => cluster.service(name)?.status?.loadBalancer?.ingress,
    reasons: () => cluster.events.map((e) => `${e.object}:${e.reason}`),
  };
}

describe('service controller', () => {
  it('adds the cleanup finalizer, then records an address from the pool, with events', async () => {
    const t = await setup();
    t.cluster.servicePort.create(lbService('web'));
    await t.reconcile('web');
    expect(t.cluster.writes).toEqual(['update service web', 'update service web status']);
    expect(t.cluster.service('web')?.metadata.finalizers).toEqual([FINALIZER]);
    expect(t.ingress('web')).toEqual([{ ip: '172.31.255.1' }]);
    expect(t.reasons()).toEqual(['web:EnsuringLoadBalancer', 'web:EnsuredLoadBalancer']);
  });

  it('writes nothing and records no event when the load balancer is already as recorded', async () => {
    const t = await setup();
    t.cluster.servicePort.create(lbService('web'));
    await t.reconcile('web');
    t.cluster.writes.length = 0;
    t.cluster.events.length = 0;
    await t.reconcile('web');
    expect(t.cluster.writes).toEqual([]);
    expect(t.cluster.events).toEqual([]);
  });

  it('ignores services that are not LoadBalancers or belong to another load-balancer class', async () => {
    const t = await setup();
    t.cluster.servicePort.create({ ...lbService('plain'), spec: { type: 'ClusterIP' } });
    t.cluster.servicePort.create(lbService('other', { loadBalancerClass: 'example.com/lb' }));
    await t.reconcile('plain');
    await t.reconcile('other');
    expect(t.cluster.writes).toEqual([]);
  });

  it('on delete: releases the address, clears the status, drops the finalizer; the address is reused', async () => {
    const t = await setup();
    t.cluster.servicePort.create(lbService('web'));
    await t.reconcile('web');
    t.cluster.deleteService('web');
    t.cluster.events.length = 0;
    await t.reconcile('web');
    expect(t.cluster.service('web')).toBeUndefined();
    expect(t.reasons()).toEqual(['web:DeletingLoadBalancer', 'web:DeletedLoadBalancer']);
    t.cluster.servicePort.create(lbService('api'));
    await t.reconcile('api');
    expect(t.ingress('api')).toEqual([{ ip: '172.31.255.1' }]);
  });

  it('on a change of type away from LoadBalancer: status cleared, finalizer removed, object kept', async () => {
    const t = await setup();
    t.cluster.servicePort.create(lbService('web'));
    await t.reconcile('web');
    const svc = t.cluster.service('web')!;
    t.cluster.servicePort.update({ ...svc, spec: { ...svc.spec, type: 'ClusterIP' } });
    await t.reconcile('web');
    const after = t.cluster.service('web')!;
    expect(after.status?.loadBalancer).toEqual({});
    expect(after.metadata.finalizers ?? []).toEqual([]);
  });

  it('keeps the address a service already records (a restart) while a new one gets the next', async () => {
    const t = await setup();
    t.cluster.servicePort.create({
      ...lbService('old'),
      metadata: { name: 'old', namespace: 'default', finalizers: [FINALIZER] },
      status: { loadBalancer: { ingress: [{ ip: '172.31.255.1' }] } },
    });
    t.cluster.servicePort.create(lbService('new'));
    await t.reconcile('new');
    await t.reconcile('old');
    expect(t.ingress('new')).toEqual([{ ip: '172.31.255.2' }]);
    expect(t.ingress('old')).toEqual([{ ip: '172.31.255.1' }]);
  });

  it('records a Warning and fails the reconcile when the pool is exhausted', async () => {
    const t = await setup('10.0.0.1/32');
    t.cluster.servicePort.create(lbService('a'));
    t.cluster.servicePort.create(lbService('b'));
    await t.reconcile('a');
    await expect(t.reconcile('b')).rejects.toThrow(/no free address/);
    expect(t.cluster.events.at(-1)).toMatchObject({
      object: 'b',
      type: 'Warning',
      reason: 'SyncLoadBalancerFailed',
    });
  });
});
