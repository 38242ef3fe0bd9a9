import { ClusterSnapshot, makeNode, makePod, runFilter } from '../../test/fixtures';
import type { Pod, TopologySpreadConstraint } from '../types';
import { PodTopologySpread } from './pod-topology-spread';

const spread = (c: Partial<TopologySpreadConstraint> = {}): Pod =>
  makePod({
    labels: { app: 'web' },
    spec: {
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { app: 'web' } },
          ...c,
        },
      ],
    },
  });
const web = (nodeName: string) => makePod({ nodeName, labels: { app: 'web' } });
const notMatch = ["node(s) didn't match pod topology spread constraints"];

describe('PodTopologySpread (DoNotSchedule)', () => {
  const nodes = [
    makeNode('a1', { labels: { zone: 'a' } }),
    makeNode('b1', { labels: { zone: 'b' } }),
    makeNode('nolabel'),
  ];

  it('rejects domains that would exceed maxSkew and accepts the emptiest', () => {
    const snapshot = ClusterSnapshot.of(nodes, [web('a1'), web('a1'), web('b1')]);
    expect(runFilter(PodTopologySpread, spread(), snapshot, 'a1')).toEqual(notMatch);
    expect(runFilter(PodTopologySpread, spread(), snapshot, 'b1')).toEqual([]);
    expect(runFilter(PodTopologySpread, spread({ maxSkew: 2 }), snapshot, 'a1')).toEqual([]);
  });

  it('rejects a node without the topology key as unresolvable', () => {
    const snapshot = ClusterSnapshot.of(nodes);
    expect(runFilter(PodTopologySpread, spread(), snapshot, 'nolabel')).toEqual([
      "node(s) didn't match pod topology spread constraints (missing required label)",
    ]);
  });

  it('counts only matching pods of the same namespace', () => {
    const snapshot = ClusterSnapshot.of(nodes, [
      web('a1'),
      makePod({ nodeName: 'b1', labels: { app: 'db' } }),
      makePod({ nodeName: 'b1', namespace: 'x', labels: { app: 'web' } }),
    ]);
    expect(runFilter(PodTopologySpread, spread(), snapshot, 'a1')).toEqual(notMatch);
    expect(runFilter(PodTopologySpread, spread(), snapshot, 'b1')).toEqual([]);
  });

  it('treats missing domains as empty when minDomains is not reached', () => {
    const snapshot = ClusterSnapshot.of(nodes, [web('a1'), web('b1')]);
    expect(runFilter(PodTopologySpread, spread(), snapshot, 'a1')).toEqual([]);
    expect(runFilter(PodTopologySpread, spread({ minDomains: 3 }), snapshot, 'a1')).toEqual(
      notMatch,
    );
  });

  it('ignores ScheduleAnyway constraints', () => {
    const snapshot = ClusterSnapshot.of(nodes, [web('a1'), web('a1')]);
    expect(
      runFilter(PodTopologySpread, spread({ whenUnsatisfiable: 'ScheduleAnyway' }), snapshot, 'a1'),
    ).toBe('skipped');
  });

  it('sees changes to a node (the per-node count cache is invalidated)', () => {
    const snapshot = ClusterSnapshot.of(nodes, [web('b1')]);
    expect(runFilter(PodTopologySpread, spread(), snapshot, 'b1')).toEqual(notMatch);
    snapshot.addPod(web('a1'));
    expect(runFilter(PodTopologySpread, spread(), snapshot, 'b1')).toEqual([]);
  });
});
