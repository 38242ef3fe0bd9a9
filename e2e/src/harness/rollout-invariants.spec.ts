import type { KubeObject } from '@bosun/api-client';
import { checkRollingUpdate, snapshots, type Change } from './rollout-invariants';

let rev = 100;
const pod = (name: string, ready: boolean, extra: Record<string, unknown> = {}): KubeObject =>
  ({
    metadata: { name, ...extra },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  }) as KubeObject;
const deploy = (replicas: number): KubeObject =>
  ({ metadata: { name: 'web' }, spec: { replicas } }) as KubeObject;
const rs = (name: string, replicas: number, owner = 'web'): KubeObject =>
  ({
    metadata: {
      name,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner, uid: owner }],
    },
    spec: { replicas },
  }) as KubeObject;
const at = (
  kind: Change['kind'],
  object: KubeObject,
  type: Change['type'] = 'MODIFIED',
): Change => ({
  kind,
  type,
  revision: ++rev,
  object,
});

/** A rolling update of 2 replicas (surge 1, unavailable 1) done right. */
function goodRollout(): Change[] {
  rev = 100;
  return [
    at('Deployment', deploy(2), 'ADDED'),
    at('ReplicaSet', rs('old', 2), 'ADDED'),
    at('Pod', pod('o1', true), 'ADDED'),
    at('Pod', pod('o2', true), 'ADDED'),
    // set image: new set up by the surge, one old pod down by maxUnavailable
    at('ReplicaSet', rs('new', 1), 'ADDED'),
    at('ReplicaSet', rs('old', 1)),
    at('Pod', pod('n1', false), 'ADDED'),
    at('Pod', pod('o1', true, { deletionTimestamp: 'now' })),
    at('Pod', pod('o1', true), 'DELETED'),
    at('ReplicaSet', rs('new', 2)),
    at('Pod', pod('n2', false), 'ADDED'),
    at('Pod', pod('n1', true)),
    at('ReplicaSet', rs('old', 0)),
    at('Pod', pod('o2', true), 'DELETED'),
    at('Pod', pod('n2', true)),
  ];
}

const LIMITS = { maxSurge: 1, maxUnavailable: 1 };

describe('snapshots', () => {
  it('replays the workload state per revision, counting terminating pods as neither active nor ready', () => {
    const snaps = snapshots(goodRollout(), 'web');
    expect(snaps).toHaveLength(15);
    const afterTerminating = snaps[7]!;
    expect(afterTerminating).toMatchObject({
      desired: 2,
      active: 2,
      ready: 1,
      replicaSetsDesired: 2,
    });
    expect(snaps.at(-1)).toMatchObject({ active: 2, ready: 2, replicaSetsDesired: 2 });
  });

  it('ignores ReplicaSets another Deployment owns and changes to other Deployments', () => {
    rev = 0;
    const snaps = snapshots(
      [
        at('Deployment', deploy(2), 'ADDED'),
        at('Deployment', { metadata: { name: 'other' }, spec: { replicas: 9 } } as KubeObject),
        at('ReplicaSet', rs('x', 9, 'other'), 'ADDED'),
      ],
      'web',
    );
    expect(snaps.at(-1)).toMatchObject({ desired: 2, replicaSetsDesired: 0 });
  });
});

describe('checkRollingUpdate', () => {
  it('passes a rollout that keeps within surge and availability', () => {
    const r = checkRollingUpdate(
      snapshots(goodRollout(), 'web'),
      [{ label: 'rollout', from: 104, rollingUpdate: true }],
      LIMITS,
    );
    expect(r.violations).toEqual([]);
    expect(r.checked).toBeGreaterThan(5);
    expect(r.minReady).toBe(1);
    expect(r.maxActive).toBe(3);
  });

  it('flags a moment with too few ready pods', () => {
    const changes = goodRollout();
    // The old set is scaled to 0 before the second new pod is ready: nothing serves.
    changes[11] = { ...changes[11]!, object: pod('n1', false) };
    const r = checkRollingUpdate(
      snapshots(changes, 'web'),
      [{ label: 'rollout', from: 104, rollingUpdate: true }],
      LIMITS,
    );
    expect(r.violations.map((v) => v.what)).toContain('0 ready pods < 1');
  });

  it('flags an extra replica, and ReplicaSets desiring too many', () => {
    const changes = goodRollout();
    changes.push(
      at('ReplicaSet', rs('new', 4)),
      at('Pod', pod('n3', false), 'ADDED'),
      at('Pod', pod('n4', false), 'ADDED'),
    );
    const r = checkRollingUpdate(
      snapshots(changes, 'web'),
      [{ label: 'rollout', from: 104 }],
      LIMITS,
    );
    expect(r.violations.map((v) => v.what)).toEqual(
      expect.arrayContaining(['ReplicaSets desire 4 pods > 3', '4 active pods > 3']),
    );
  });

  it('bounds a scale-down by the replicas before it, and only checks readiness when asked', () => {
    rev = 0;
    const changes = [
      at('Deployment', deploy(5), 'ADDED'),
      at('ReplicaSet', rs('a', 5), 'ADDED'),
      ...['p1', 'p2', 'p3', 'p4', 'p5'].map((n) => at('Pod', pod(n, true), 'ADDED')),
    ];
    const from = rev;
    changes.push(at('Deployment', deploy(2)), at('ReplicaSet', rs('a', 2)));
    for (const n of ['p3', 'p4', 'p5']) changes.push(at('Pod', pod(n, true), 'DELETED'));
    const snaps = snapshots(changes, 'web');
    expect(checkRollingUpdate(snaps, [{ label: 'scale 2', from }], LIMITS).violations).toEqual([]);
    // The same history judged with the bound of the new size alone would fail.
    const strict = checkRollingUpdate(snaps, [{ label: 'scale 2', from: rev - 3 }], LIMITS);
    expect(strict.violations.length).toBeGreaterThan(0);
  });
});
