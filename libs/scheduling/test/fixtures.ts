import { ClusterSnapshot } from '../src/cluster-snapshot';
import type { CycleInput } from '../src/framework';
import { podInfoOf, type NodeInfo } from '../src/node-info';
import type { Container, Node, Pod, Taint } from '../src/types';

let counter = 0;

export interface PodOpts {
  name?: string;
  namespace?: string;
  cpu?: string;
  memory?: string;
  requests?: Record<string, string>;
  labels?: Record<string, string>;
  owner?: string;
  nodeName?: string;
  spec?: Partial<Pod['spec']>;
  ports?: Container['ports'];
}

export function makePod(o: PodOpts = {}): Pod {
  const name = o.name ?? `pod-${++counter}`;
  const requests: Record<string, string> = { ...(o.requests ?? {}) };
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: `uid-${name}`,
      labels: o.labels,
      ownerReferences: o.owner
        ? [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: o.owner,
              uid: o.owner,
              controller: true,
            },
          ]
        : undefined,
    },
    spec: {
      nodeName: o.nodeName,
      containers: [{ name: 'c', resources: { requests }, ports: o.ports }],
      ...o.spec,
    },
  };
}

export interface NodeOpts {
  cpu?: string;
  memory?: string;
  pods?: string;
  extra?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

export function makeNode(name: string, o: NodeOpts = {}): Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { taints: o.taints, unschedulable: o.unschedulable },
    status: {
      allocatable: {
        cpu: o.cpu ?? '4',
        memory: o.memory ?? '8Gi',
        pods: o.pods ?? '110',
        ...o.extra,
      },
    },
  };
}

/** One node's verdict from a filter, as a table row can state it. */
export function runFilter(
  plugin: {
    prepare(
      input: CycleInput,
    ): ((n: NodeInfo) => { reasons: readonly string[] } | undefined) | undefined;
  },
  pod: Pod,
  snapshot: ClusterSnapshot,
  nodeName: string,
): readonly string[] | 'skipped' {
  const check = plugin.prepare({ podInfo: podInfoOf(pod), snapshot });
  if (!check) return 'skipped';
  return check(snapshot.get(nodeName)!)?.reasons ?? [];
}

export { ClusterSnapshot };
