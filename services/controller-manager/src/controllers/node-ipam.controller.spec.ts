import type { Node } from '@bosun/api-types';
import { testing, type EventRecorder } from '@bosun/controller-kit';
import { CidrSet } from '../ipam/cidr-set';
import { Resources as Refs } from '../ports/resources';
import { NodeIpamAllocator } from './node-ipam.controller';
import { FakeObjectWriter } from './testing/fake-object-writer';

const node = (name: string, podCIDR?: string): Node => ({
  metadata: { name },
  spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {},
});

async function setup(clusterCidr = '10.244.0.0/16', mask = 24) {
  const clock = new testing.FakeClock();
  const writer = new FakeObjectWriter(clock);
  const events: string[] = [];
  const recorder: EventRecorder = {
    event: (about, type, reason) =>
      events.push(`${type} ${reason} ${'metadata' in about ? about.metadata.name : about.name}`),
  };
  const nodes = await writer.informer<Node>(Refs.nodes);
  const allocator = new NodeIpamAllocator({
    nodes,
    writer,
    cidrs: new CidrSet(clusterCidr, mask),
    recorder,
  });
  const cidrOf = (name: string) => writer.get<Node>(Refs.nodes, '', name)?.spec?.podCIDRs;
  return { writer, allocator, events, cidrOf };
}

describe('node IPAM reconcile', () => {
  it('gives each node without a pod CIDR a free range; nodes that have one keep it', async () => {
    const t = await setup();
    t.writer.seed(Refs.nodes, node('bosun-up', '10.244.0.0/24'));
    t.writer.seed(Refs.nodes, node('elsewhere', '192.168.5.0/24'));
    t.writer.seed(Refs.nodes, node('b'));
    t.writer.seed(Refs.nodes, node('a'));
    await t.allocator.reconcile();
    expect(t.writer.writes.map((w) => `${w.verb} ${w.key}`)).toEqual(['patch a', 'patch b']);
    expect(t.writer.writes[0].patch).toEqual({
      metadata: { resourceVersion: expect.any(String) },
      spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
    });
    expect(t.cidrOf('b')).toEqual(['10.244.2.0/24']);
    expect(t.cidrOf('bosun-up')).toEqual(['10.244.0.0/24']);
    t.writer.clearWrites();
    await t.allocator.reconcile();
    expect(t.writer.writes).toEqual([]);
  });

  it('frees the range of a deleted node and records CIDRNotAvailable when none is free', async () => {
    const t = await setup('10.0.0.0/23', 24);
    t.writer.seed(Refs.nodes, node('a', '10.0.0.0/24'));
    t.writer.seed(Refs.nodes, node('b', '10.0.1.0/24'));
    t.writer.seed(Refs.nodes, node('c'));
    await t.allocator.reconcile();
    expect(t.writer.writes).toEqual([]);
    expect(t.events).toEqual(['Warning CIDRNotAvailable c']);

    await t.writer.delete(Refs.nodes, '', 'a');
    t.writer.clearWrites();
    await t.allocator.reconcile();
    expect(t.writer.writes.map((w) => `${w.verb} ${w.key}`)).toEqual(['patch c']);
    expect(t.cidrOf('c')).toEqual(['10.0.0.0/24']);
  });
});
