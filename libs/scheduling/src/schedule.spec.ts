import { ClusterSnapshot, makeNode, makePod } from '../test/fixtures';
import { AssumeCache } from './assume-cache';
import { FitError } from './fit-error';
import { numFeasibleNodesToFind } from './num-feasible-nodes';
import { schedule } from './schedule';

function fitMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof FitError) return error.message;
    throw error;
  }
  throw new Error('expected a FitError');
}

const master = makeNode('master', {
  taints: [{ key: 'node-role', value: 'master', effect: 'NoSchedule' }],
});

describe('numFeasibleNodesToFind (adaptive percentage)', () => {
  it.each([
    [50, 0, 50],
    [99, 0, 99],
    [100, 0, 100],
    [1000, 0, 420],
    [5000, 0, 500],
    [6000, 0, 300],
    [1000, 5, 100],
    [1000, 30, 300],
    [1000, 100, 1000],
  ])('%d nodes at %d%% -> %d', (nodes, pct, expected) => {
    expect(numFeasibleNodesToFind(nodes, pct)).toBe(expected);
  });
});

describe('schedule', () => {
  it('explains a failure exactly like kube-scheduler', () => {
    const snapshot = ClusterSnapshot.of([
      makeNode('w1', { cpu: '1' }),
      makeNode('w2', { cpu: '1' }),
      master,
    ]);
    expect(fitMessage(() => schedule(makePod({ cpu: '2' }), snapshot))).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role: master}, 2 Insufficient cpu. ' +
        'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, ' +
        '2 No preemption victims found for incoming pod.',
    );
  });

  it('reports the first failing filter per node, and every shortfall of NodeResourcesFit', () => {
    const tainted = makeNode('t', {
      cpu: '1',
      taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }],
    });
    const snapshot = ClusterSnapshot.of([tainted, makeNode('small', { cpu: '1', memory: '1Gi' })]);
    expect(fitMessage(() => schedule(makePod({ cpu: '2', memory: '2Gi' }), snapshot))).toBe(
      '0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 node(s) had untolerated taint {k: v}. ' +
        'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, ' +
        '1 Preemption is not helpful for scheduling.',
    );
  });

  it('says when there are no nodes at all, and when the pod may not preempt', () => {
    expect(fitMessage(() => schedule(makePod(), ClusterSnapshot.of([])))).toBe(
      '0/0 nodes are available: no nodes available to schedule pods.',
    );
    const never = makePod({ cpu: '8', spec: { preemptionPolicy: 'Never' } });
    expect(fitMessage(() => schedule(never, ClusterSnapshot.of([makeNode('n')])))).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    );
  });

  it('carries the rejecting plugins for the scheduling queue', () => {
    try {
      schedule(makePod({ cpu: '8' }), ClusterSnapshot.of([makeNode('n'), master]));
    } catch (error) {
      expect([...(error as FitError).unschedulablePlugins].sort()).toEqual([
        'NodeResourcesFit',
        'TaintToleration',
      ]);
    }
    expect.assertions(1);
  });

  it('places a pod on the least allocated feasible node', () => {
    const snapshot = ClusterSnapshot.of(
      [makeNode('busy'), makeNode('idle'), master],
      [makePod({ nodeName: 'busy', cpu: '3', memory: '6Gi' })],
    );
    const result = schedule(makePod({ cpu: '500m', memory: '1Gi' }), snapshot);
    expect(result).toMatchObject({ nodeName: 'idle', feasibleNodes: 2, evaluatedNodes: 3 });
    expect(result.scores!.get('idle')).toBeGreaterThan(result.scores!.get('busy')!);
  });

  it('returns the only feasible node without scoring', () => {
    const snapshot = ClusterSnapshot.of([
      makeNode('a', { labels: { disk: 'ssd' } }),
      makeNode('b'),
    ]);
    const result = schedule(makePod({ spec: { nodeSelector: { disk: 'ssd' } } }), snapshot);
    expect(result).toEqual({ nodeName: 'a', evaluatedNodes: 2, feasibleNodes: 1 });
  });

  it('in a large cluster evaluates only the adaptive share of nodes', () => {
    const snapshot = ClusterSnapshot.of(Array.from({ length: 1000 }, (_, i) => makeNode(`n${i}`)));
    const result = schedule(makePod(), snapshot);
    expect(result.feasibleNodes).toBe(420);
    expect(result.evaluatedNodes).toBe(420);
    expect(schedule(makePod(), snapshot, { percentageOfNodesToScore: 100 }).feasibleNodes).toBe(
      1000,
    );
  });

  it('is deterministic for a seed and varies with it', () => {
    const snapshot = ClusterSnapshot.of(Array.from({ length: 200 }, (_, i) => makeNode(`n${i}`)));
    const pods = Array.from({ length: 20 }, (_, i) => makePod({ name: `p${i}` }));
    const place = (seed: number) => pods.map((p) => schedule(p, snapshot, { seed }).nodeName);
    expect(place(7)).toEqual(place(7));
    expect(place(7)).not.toEqual(place(8));
    // Identical empty nodes all tie: the seeded tie-break spreads pods instead of piling them up.
    expect(new Set(place(7)).size).toBeGreaterThan(10);
  });

  it('with the assume cache, fills nodes until nothing fits', () => {
    const snapshot = ClusterSnapshot.of(['a', 'b', 'c'].map((n) => makeNode(n, { cpu: '2' })));
    const assumed = new AssumeCache(snapshot);
    const placed: string[] = [];
    for (let i = 0; i < 6; i++) {
      const pod = makePod({ cpu: '1' });
      const { nodeName } = schedule(pod, snapshot, { seed: 1 });
      assumed.assume(pod, nodeName);
      placed.push(nodeName);
    }
    expect(placed.sort()).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
    expect(fitMessage(() => schedule(makePod({ cpu: '1' }), snapshot))).toBe(
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: ' +
        '3 No preemption victims found for incoming pod.',
    );
  });

  it('spreads the replicas of one owner across zones', () => {
    const zone = (z: string) => ({ labels: { 'topology.kubernetes.io/zone': z } });
    const snapshot = ClusterSnapshot.of([
      makeNode('a1', zone('a')),
      makeNode('a2', zone('a')),
      makeNode('b1', zone('b')),
      makeNode('c1', zone('c')),
    ]);
    const assumed = new AssumeCache(snapshot);
    const zones: string[] = [];
    for (let i = 0; i < 3; i++) {
      const pod = makePod({ owner: 'rs-1', cpu: '10m' });
      const { nodeName } = schedule(pod, snapshot, { seed: 3 });
      assumed.assume(pod, nodeName);
      zones.push(snapshot.get(nodeName)!.node.metadata.labels!['topology.kubernetes.io/zone']);
    }
    expect(zones.sort()).toEqual(['a', 'b', 'c']);
  });
});
