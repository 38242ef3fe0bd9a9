import { AssumeCache } from '../src/assume-cache';
import { ClusterSnapshot } from '../src/cluster-snapshot';
import { schedule } from '../src/schedule';
import type { Node, Pod } from '../src/types';

const NODES = 1000;
const PODS = 10_000;
const ZONES = 10;

function hollowNode(i: number): Node {
  return {
    metadata: {
      name: `node-${i}`,
      labels: {
        'kubernetes.io/hostname': `node-${i}`,
        'topology.kubernetes.io/zone': `zone-${i % ZONES}`,
      },
    },
    spec: {},
    status: { allocatable: { cpu: '32', memory: '128Gi', pods: '110' } },
  };
}

function plainPod(i: number, spread: boolean): Pod {
  return {
    metadata: {
      name: `pod-${i}`,
      namespace: 'bench',
      uid: `bench-${spread ? 's' : 'p'}-${i}`,
      labels: { app: 'web' },
    },
    spec: {
      containers: [{ name: 'app', resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
      topologySpreadConstraints: spread
        ? [
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: { app: 'web' } },
            },
          ]
        : undefined,
    },
  };
}

/** Places every pod in turn, assuming each so the next sees it: pure placement, no I/O. */
function placeAll(spread: boolean): number {
  const snapshot = ClusterSnapshot.of(Array.from({ length: NODES }, (_, i) => hollowNode(i)));
  const assumed = new AssumeCache(snapshot);
  const started = process.hrtime.bigint();
  for (let i = 0; i < PODS; i++) {
    const pod = plainPod(i, spread);
    const { nodeName } = schedule(pod, snapshot, { seed: 42 });
    assumed.assume(pod, nodeName);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return Math.round(PODS / seconds);
}

/** Scheduler placement throughput: 10,000 pods on 1,000 in-memory nodes, plain and zone-spread. */
export async function benchSchedule(): Promise<Record<string, number>> {
  // Prefixed: `npm run bench -- scheduler` also runs the end-to-end bench, which owns pods_per_s.
  return {
    placement_pods_per_s: placeAll(false),
    placement_pods_per_s_spread: placeAll(true),
  };
}
