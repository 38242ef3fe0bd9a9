import { ClusterSnapshot, makeNode, makePod } from '../../test/fixtures';
import type { ScorePlugin } from '../framework';
import { podInfoOf } from '../node-info';
import type { Pod } from '../types';
import { NodeResourcesBalancedAllocation } from './balanced-allocation';
import { NodeResourcesLeastAllocated } from './least-allocated';
import { NodeAffinityScore } from './node-affinity-score';
import { PodTopologySpreadScore } from './pod-topology-spread-score';
import { SelectorSpread } from './selector-spread';
import { TaintTolerationScore } from './taint-toleration-score';

/** Normalized scores by node name, or 'skipped'. */
function scores(
  plugin: ScorePlugin,
  pod: Pod,
  snapshot: ClusterSnapshot,
): Record<string, number> | 'skipped' {
  const nodes = snapshot.list();
  const prepared = plugin.prepare({ podInfo: podInfoOf(pod), snapshot }, nodes);
  if (!prepared) return 'skipped';
  const raw = nodes.map((n) => prepared.score(n));
  prepared.normalize?.(raw, nodes);
  return Object.fromEntries(nodes.map((n, i) => [n.name, raw[i]]));
}

describe('NodeResourcesLeastAllocated', () => {
  it('scores the mean share of CPU and memory left after placement', () => {
    const snapshot = ClusterSnapshot.of(
      [
        makeNode('empty', { cpu: '4', memory: '4Gi' }),
        makeNode('half', { cpu: '4', memory: '4Gi' }),
      ],
      [makePod({ nodeName: 'half', cpu: '2', memory: '2Gi' })],
    );
    // empty: cpu (4000-1000)/4000=75, mem (4-1)/4=75 -> 75; half: cpu 25, mem 25 -> 25
    expect(
      scores(NodeResourcesLeastAllocated, makePod({ cpu: '1', memory: '1Gi' }), snapshot),
    ).toEqual({
      empty: 75,
      half: 25,
    });
  });

  it('uses the default requests (100m, 200Mi) for request-less pods', () => {
    const snapshot = ClusterSnapshot.of([makeNode('n', { cpu: '1', memory: '2000Mi' })]);
    // cpu (1000-100)/1000 = 90, memory (2000-200)/2000 = 90
    expect(scores(NodeResourcesLeastAllocated, makePod(), snapshot)).toEqual({ n: 90 });
  });
});

describe('NodeResourcesBalancedAllocation', () => {
  it('prefers nodes where CPU and memory would be used in equal shares', () => {
    const snapshot = ClusterSnapshot.of([
      makeNode('balanced', { cpu: '2', memory: '2Gi' }),
      makeNode('skewed', { cpu: '2', memory: '8Gi' }),
    ]);
    // balanced: 0.5 and 0.5 -> 100; skewed: 0.5 and 0.125 -> std 0.1875 -> 81
    expect(
      scores(NodeResourcesBalancedAllocation, makePod({ cpu: '1', memory: '1Gi' }), snapshot),
    ).toEqual({
      balanced: 100,
      skewed: 81,
    });
  });
});

describe('NodeAffinity (preferred)', () => {
  const snapshot = ClusterSnapshot.of([
    makeNode('both', { labels: { ssd: 'y', zone: 'a' } }),
    makeNode('ssd', { labels: { ssd: 'y' } }),
    makeNode('none'),
  ]);
  it('sums the weights of matching terms, best = 100', () => {
    const pod = makePod({
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 30,
                preference: { matchExpressions: [{ key: 'ssd', operator: 'Exists' }] },
              },
              {
                weight: 10,
                preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
              },
            ],
          },
        },
      },
    });
    expect(scores(NodeAffinityScore, pod, snapshot)).toEqual({ both: 100, ssd: 75, none: 0 });
  });
  it('is skipped without preferences', () => {
    expect(scores(NodeAffinityScore, makePod(), snapshot)).toBe('skipped');
  });
});

describe('TaintToleration (PreferNoSchedule)', () => {
  it('scores nodes by how few soft taints the pod does not tolerate', () => {
    const soft = (key: string) => ({ key, effect: 'PreferNoSchedule' as const });
    const snapshot = ClusterSnapshot.of([
      makeNode('clean'),
      makeNode('one', { taints: [soft('a')] }),
      makeNode('two', { taints: [soft('a'), soft('b')] }),
    ]);
    expect(scores(TaintTolerationScore, makePod(), snapshot)).toEqual({
      clean: 100,
      one: 50,
      two: 0,
    });
    const tolerant = makePod({ spec: { tolerations: [{ key: 'a', operator: 'Exists' }] } });
    expect(scores(TaintTolerationScore, tolerant, snapshot)).toEqual({
      clean: 100,
      one: 100,
      two: 0,
    });
  });
});

describe('SelectorSpread', () => {
  it('prefers nodes and zones holding fewer pods of the same owner', () => {
    const snapshot = ClusterSnapshot.of(
      [
        makeNode('a1', { labels: { 'topology.kubernetes.io/zone': 'a' } }),
        makeNode('a2', { labels: { 'topology.kubernetes.io/zone': 'a' } }),
        makeNode('b1', { labels: { 'topology.kubernetes.io/zone': 'b' } }),
      ],
      [
        makePod({ nodeName: 'a1', owner: 'rs' }),
        makePod({ nodeName: 'a1', owner: 'rs' }),
        makePod({ nodeName: 'b1', owner: 'other' }),
      ],
    );
    // node: a1 has max (2) -> 0, others 100; zone: a has 2 -> 0, b 0 -> 100. Blend 1/3 node + 2/3 zone.
    expect(scores(SelectorSpread, makePod({ owner: 'rs' }), snapshot)).toEqual({
      a1: 0,
      a2: 33,
      b1: 100,
    });
  });
  it('is skipped for pods without a controller', () => {
    expect(scores(SelectorSpread, makePod(), ClusterSnapshot.of([makeNode('n')]))).toBe('skipped');
  });
});

describe('PodTopologySpread (ScheduleAnyway)', () => {
  const soft = (labels: Record<string, string>) =>
    makePod({
      labels,
      spec: {
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'zone',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: labels },
          },
        ],
      },
    });
  const snapshot = ClusterSnapshot.of(
    [
      makeNode('a1', { labels: { zone: 'a' } }),
      makeNode('b1', { labels: { zone: 'b' } }),
      makeNode('nolabel'),
    ],
    [
      makePod({ nodeName: 'a1', labels: { app: 'web' } }),
      makePod({ nodeName: 'a1', labels: { app: 'web' } }),
    ],
  );

  it('prefers the emptiest domain and gives nodes without the key 0', () => {
    expect(scores(PodTopologySpreadScore, soft({ app: 'web' }), snapshot)).toEqual({
      a1: 0,
      b1: 100,
      nolabel: 0,
    });
  });

  it('scores every labelled node 100 when no domain holds a matching pod', () => {
    expect(scores(PodTopologySpreadScore, soft({ app: 'db' }), snapshot)).toEqual({
      a1: 100,
      b1: 100,
      nolabel: 0,
    });
  });

  it('replaces SelectorSpread for pods that declare their own constraints', () => {
    const owned = {
      ...soft({ app: 'web' }),
      metadata: {
        name: 'x',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs', controller: true },
        ],
      },
    };
    expect(scores(SelectorSpread, owned, snapshot)).toBe('skipped');
  });
});
