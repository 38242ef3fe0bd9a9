import { ClusterSnapshot, makeNode, makePod, runFilter } from '../../test/fixtures';
import type { Pod } from '../types';
import { InterPodAffinity as InterPodAntiAffinity } from './inter-pod-affinity';

const avoid = (
  labels: Record<string, string>,
  topologyKey: string,
  namespaces?: string[],
): Pod['spec'] => ({
  containers: [{ name: 'c' }],
  affinity: {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: labels }, topologyKey, namespaces },
      ],
    },
  },
});

const nodes = [
  makeNode('a1', { labels: { zone: 'a' } }),
  makeNode('a2', { labels: { zone: 'a' } }),
  makeNode('b1', { labels: { zone: 'b' } }),
];

describe('InterPodAntiAffinity (required)', () => {
  it('keeps a pod away from the hosts of pods it must avoid', () => {
    const snapshot = ClusterSnapshot.of(nodes, [
      makePod({ nodeName: 'a1', labels: { app: 'db' } }),
    ]);
    const pod = makePod({
      labels: { app: 'db' },
      spec: avoid({ app: 'db' }, 'kubernetes.io/hostname'),
    });
    expect(runFilter(InterPodAntiAffinity, pod, snapshot, 'a1')).toEqual([
      "node(s) didn't match pod anti-affinity rules",
    ]);
    expect(runFilter(InterPodAntiAffinity, pod, snapshot, 'a2')).toEqual([]);
  });

  it('applies to a whole zone when the topology key is the zone', () => {
    const snapshot = ClusterSnapshot.of(nodes, [
      makePod({ nodeName: 'a1', labels: { app: 'db' } }),
    ]);
    const pod = makePod({ spec: avoid({ app: 'db' }, 'zone') });
    expect(runFilter(InterPodAntiAffinity, pod, snapshot, 'a2')).toEqual([
      "node(s) didn't match pod anti-affinity rules",
    ]);
    expect(runFilter(InterPodAntiAffinity, pod, snapshot, 'b1')).toEqual([]);
  });

  it('honours existing pods’ anti-affinity against the incoming pod', () => {
    const existing = makePod({ nodeName: 'b1', spec: avoid({ app: 'web' }, 'zone') });
    const snapshot = ClusterSnapshot.of(nodes, [existing]);
    const pod = makePod({ labels: { app: 'web' } });
    expect(runFilter(InterPodAntiAffinity, pod, snapshot, 'b1')).toEqual([
      "node(s) didn't satisfy existing pods anti-affinity rules",
    ]);
    expect(runFilter(InterPodAntiAffinity, pod, snapshot, 'a1')).toEqual([]);
  });

  it('only looks at the namespaces the term names (its own by default)', () => {
    const snapshot = ClusterSnapshot.of(nodes, [
      makePod({ nodeName: 'a1', namespace: 'other', labels: { app: 'db' } }),
    ]);
    const own = makePod({ spec: avoid({ app: 'db' }, 'kubernetes.io/hostname') });
    expect(runFilter(InterPodAntiAffinity, own, snapshot, 'a1')).toEqual([]);
    const named = makePod({ spec: avoid({ app: 'db' }, 'kubernetes.io/hostname', ['other']) });
    expect(runFilter(InterPodAntiAffinity, named, snapshot, 'a1')).toEqual([
      "node(s) didn't match pod anti-affinity rules",
    ]);
  });

  it('is skipped when nobody has anti-affinity', () => {
    const snapshot = ClusterSnapshot.of(nodes, [makePod({ nodeName: 'a1' })]);
    expect(runFilter(InterPodAntiAffinity, makePod(), snapshot, 'a1')).toBe('skipped');
  });
});

describe('InterPodAffinity (required pod affinity)', () => {
  const near = (labels: Record<string, string>, topologyKey: string): Pod['spec'] => ({
    containers: [{ name: 'c' }],
    affinity: {
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: labels }, topologyKey },
        ],
      },
    },
  });
  const reason = ["node(s) didn't match pod affinity rules"];

  it('requires a selected pod in the same topology domain', () => {
    const snapshot = ClusterSnapshot.of(nodes, [
      makePod({ nodeName: 'a1', labels: { app: 'cache' } }),
    ]);
    const pod = makePod({ spec: near({ app: 'cache' }, 'zone') });
    expect(runFilter(InterPodAntiAffinity, pod, snapshot, 'a2')).toEqual([]);
    expect(runFilter(InterPodAntiAffinity, pod, snapshot, 'b1')).toEqual(reason);
  });

  it('lets the first pod of a self-selecting group go anywhere', () => {
    const snapshot = ClusterSnapshot.of(nodes);
    const first = makePod({ labels: { app: 'cache' }, spec: near({ app: 'cache' }, 'zone') });
    expect(runFilter(InterPodAntiAffinity, first, snapshot, 'b1')).toEqual([]);
    const stranger = makePod({ spec: near({ app: 'cache' }, 'zone') });
    expect(runFilter(InterPodAntiAffinity, stranger, snapshot, 'b1')).toEqual(reason);
  });
});
