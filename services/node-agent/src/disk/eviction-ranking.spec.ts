import fc from 'fast-check';
import type { Pod } from '../pods/pod-types';
import { CRITICAL_PRIORITY, rankForDiskEviction, type PodDiskUsage } from './eviction-ranking';

const Mi = 2 ** 20;
function usage(
  name: string,
  usageBytes: number,
  request?: string,
  priority?: number,
): PodDiskUsage {
  const pod: Pod = {
    metadata: { name, namespace: 'default', uid: name },
    spec: {
      ...(priority === undefined ? {} : { priority }),
      containers: [
        {
          name: 'main',
          image: 'x',
          ...(request ? { resources: { requests: { 'ephemeral-storage': request } } } : {}),
        },
      ],
    },
  };
  return { pod, usageBytes };
}
const names = (l: PodDiskUsage[]) => l.map((u) => u.pod.metadata.name);

describe('rankForDiskEviction (the kubelet order under DiskPressure)', () => {
  it('puts pods over their request first, then low priority, then the larger use above request', () => {
    const ranked = rankForDiskEviction([
      usage('within-request-big', 50 * Mi, '100Mi'),
      usage('besteffort-small', 1 * Mi),
      usage('over-request-high-priority', 20 * Mi, '10Mi', 1000),
      usage('besteffort-big', 30 * Mi),
      usage('within-request-low-priority', 1 * Mi, '10Mi', -5),
    ]);
    expect(names(ranked)).toEqual([
      'besteffort-big',
      'besteffort-small',
      'over-request-high-priority',
      'within-request-low-priority',
      'within-request-big',
    ]);
  });

  it('never offers critical pods', () => {
    expect(
      names(rankForDiskEviction([usage('critical', 99 * Mi, undefined, CRITICAL_PRIORITY)])),
    ).toEqual([]);
  });

  it('is a permutation whose order does not depend on the input order (fuzz)', () => {
    const arb = fc.array(
      fc.record({
        usage: fc.integer({ min: 0, max: 100 }),
        request: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
        priority: fc.option(fc.integer({ min: -10, max: 10 }), { nil: undefined }),
      }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(arb, (specs) => {
        const list = specs.map((s, i) =>
          usage(
            `p${i}`,
            s.usage * Mi,
            s.request === undefined ? undefined : `${s.request}Mi`,
            s.priority,
          ),
        );
        const ranked = rankForDiskEviction(list);
        expect([...names(ranked)].sort()).toEqual([...names(list)].sort());
        // Adjacent pairs are in order: never a within-request pod before one over its request.
        for (let i = 1; i < ranked.length; i++) {
          const over = (u: PodDiskUsage) => {
            const r = u.pod.spec.containers[0]!.resources?.requests?.['ephemeral-storage'];
            return u.usageBytes > (r ? parseInt(String(r)) * Mi : 0);
          };
          if (over(ranked[i]!)) expect(over(ranked[i - 1]!)).toBe(true);
        }
        const key = (u: PodDiskUsage) => u.pod.metadata.name;
        expect(rankForDiskEviction([...list].reverse()).map(key)).toEqual(ranked.map(key));
      }),
    );
  });
});
