import { ClusterSnapshot, makeNode, makePod, runFilter } from '../../test/fixtures';
import type { NodeSelectorTerm, Pod } from '../types';
import { NodeAffinity } from './node-affinity';

const reason = ["node(s) didn't match Pod's node affinity/selector"];
const snapshot = ClusterSnapshot.of([
  makeNode('gpu-1', { labels: { accel: 'gpu', cores: '16', zone: 'a' } }),
  makeNode('cpu-1', { labels: { cores: '4', zone: 'b' } }),
]);

const withTerms = (...terms: NodeSelectorTerm[]): Pod =>
  makePod({
    spec: {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms },
        },
      },
    },
  });

describe('NodeAffinity (node selector + required node affinity)', () => {
  it.each<[string, Pod, string, readonly string[] | 'skipped']>([
    ['no selector, no affinity: skipped', makePod(), 'cpu-1', 'skipped'],
    ['nodeSelector matches', makePod({ spec: { nodeSelector: { accel: 'gpu' } } }), 'gpu-1', []],
    ['nodeSelector misses', makePod({ spec: { nodeSelector: { accel: 'gpu' } } }), 'cpu-1', reason],
    [
      'In',
      withTerms({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'c'] }] }),
      'gpu-1',
      [],
    ],
    [
      'In misses',
      withTerms({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['c'] }] }),
      'gpu-1',
      reason,
    ],
    [
      'NotIn',
      withTerms({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }),
      'cpu-1',
      [],
    ],
    [
      'NotIn misses',
      withTerms({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }),
      'gpu-1',
      reason,
    ],
    [
      'Exists',
      withTerms({ matchExpressions: [{ key: 'accel', operator: 'Exists' }] }),
      'gpu-1',
      [],
    ],
    [
      'DoesNotExist',
      withTerms({ matchExpressions: [{ key: 'accel', operator: 'DoesNotExist' }] }),
      'gpu-1',
      reason,
    ],
    [
      'Gt',
      withTerms({ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] }),
      'gpu-1',
      [],
    ],
    [
      'Gt misses',
      withTerms({ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] }),
      'cpu-1',
      reason,
    ],
    [
      'Lt',
      withTerms({ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['8'] }] }),
      'cpu-1',
      [],
    ],
    [
      'Gt on a non-integer never matches',
      withTerms({ matchExpressions: [{ key: 'zone', operator: 'Gt', values: ['1'] }] }),
      'gpu-1',
      reason,
    ],
    [
      'matchFields metadata.name',
      withTerms({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['cpu-1'] }] }),
      'cpu-1',
      [],
    ],
    [
      'matchFields misses',
      withTerms({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['cpu-1'] }] }),
      'gpu-1',
      reason,
    ],
    [
      'terms are ORed',
      withTerms(
        { matchExpressions: [{ key: 'zone', operator: 'In', values: ['x'] }] },
        { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
      ),
      'cpu-1',
      [],
    ],
    [
      'expressions in a term are ANDed',
      withTerms({
        matchExpressions: [
          { key: 'zone', operator: 'In', values: ['a'] },
          { key: 'accel', operator: 'DoesNotExist' },
        ],
      }),
      'gpu-1',
      reason,
    ],
    ['an empty term matches nothing', withTerms({}), 'gpu-1', reason],
  ])('%s', (_t, pod, node, expected) => {
    expect(runFilter(NodeAffinity, pod, snapshot, node)).toEqual(expected);
  });
});
