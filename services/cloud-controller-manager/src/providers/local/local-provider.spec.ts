import type { ServiceObject } from '../../cloud-provider/types';
import { LocalCloudProvider, loadBalancerName } from './local-provider';

const svc = (uid: string, ip?: string, loadBalancerIP?: string): ServiceObject => ({
  metadata: { name: `s-${uid}`, namespace: 'default', uid },
  spec: { type: 'LoadBalancer', ...(loadBalancerIP ? { loadBalancerIP } : {}) },
  status: ip ? { loadBalancer: { ingress: [{ ip }] } } : {},
});

const provider = (services: ServiceObject[] = [], pool = '172.31.255.0/24') =>
  new LocalCloudProvider({
    pool,
    region: 'local',
    zone: 'local-a',
    instanceType: 'local',
    services: () => services,
  });

describe('local provider: instances', () => {
  it('names the instance local://<node>, keeps the node addresses and reports the topology', async () => {
    const addresses = [{ type: 'InternalIP' as const, address: '10.0.0.5' }];
    const meta = await provider()
      .instancesV2()
      .instanceMetadata({ metadata: { name: 'n1' }, status: { addresses } });
    expect(meta).toEqual({
      providerID: 'local://n1',
      instanceType: 'local',
      nodeAddresses: addresses,
      zone: 'local-a',
      region: 'local',
    });
  });

  it('never reports an instance gone or shut down', async () => {
    const instances = provider().instancesV2();
    const node = { metadata: { name: 'n1' } };
    expect(await instances.instanceExists(node)).toBe(true);
    expect(await instances.instanceShutdown(node)).toBe(false);
  });
});

describe('local provider: load balancers', () => {
  it('gives each service its own address and the same one on every ensure', async () => {
    const lb = provider().loadBalancer();
    const a = await lb.ensureLoadBalancer('c', svc('a'), []);
    const b = await lb.ensureLoadBalancer('c', svc('b'), []);
    expect(a).toEqual({ ingress: [{ ip: '172.31.255.1' }] });
    expect(b).toEqual({ ingress: [{ ip: '172.31.255.2' }] });
    expect(await lb.ensureLoadBalancer('c', svc('a'), [])).toEqual(a);
    expect(await lb.getLoadBalancer('c', svc('a'))).toEqual(a);
  });

  it('after a restart, gives a service back the address its status records and never hands that address to another', async () => {
    const recorded = [svc('a', '172.31.255.1'), svc('b', '172.31.255.7')];
    const lb = provider(recorded).loadBalancer();
    // A new service is ensured before the recorded ones: it must not take their addresses.
    expect(await lb.ensureLoadBalancer('c', svc('new'), [])).toEqual({
      ingress: [{ ip: '172.31.255.2' }],
    });
    expect(await lb.getLoadBalancer('c', recorded[1])).toEqual({
      ingress: [{ ip: '172.31.255.7' }],
    });
    expect(await lb.ensureLoadBalancer('c', recorded[1], [])).toEqual({
      ingress: [{ ip: '172.31.255.7' }],
    });
  });

  it('releases the address on delete so the next service can take it', async () => {
    const lb = provider().loadBalancer();
    await lb.ensureLoadBalancer('c', svc('a'), []);
    await lb.ensureLoadBalancerDeleted('c', svc('a'));
    expect(await lb.getLoadBalancer('c', svc('a'))).toBeUndefined();
    expect(await lb.ensureLoadBalancer('c', svc('b'), [])).toEqual({
      ingress: [{ ip: '172.31.255.1' }],
    });
  });

  it('moves a recorded address that is outside the pool (the pool was changed) into the pool', async () => {
    const lb = provider([], '10.9.0.0/29').loadBalancer();
    expect(await lb.ensureLoadBalancer('c', svc('a', '172.31.255.1'), [])).toEqual({
      ingress: [{ ip: '10.9.0.1' }],
    });
  });

  it('honours spec.loadBalancerIP in the pool and refuses one outside it or already taken', async () => {
    const lb = provider().loadBalancer();
    expect(await lb.ensureLoadBalancer('c', svc('a', undefined, '172.31.255.50'), [])).toEqual({
      ingress: [{ ip: '172.31.255.50' }],
    });
    await expect(lb.ensureLoadBalancer('c', svc('b', undefined, '10.0.0.1'), [])).rejects.toThrow(
      /not in the load-balancer pool 172.31.255.0\/24/,
    );
    await expect(
      lb.ensureLoadBalancer('c', svc('b', undefined, '172.31.255.50'), []),
    ).rejects.toThrow(/already used by another load balancer/);
  });

  it('names a load balancer as Kubernetes does: "a" + uid without dashes, 32 characters', () => {
    expect(loadBalancerName(svc('0b6f2a36-1c1d-4d7e-9f0a-0123456789ab'))).toBe(
      'a0b6f2a361c1d4d7e9f0a0123456789a',
    );
  });
});
