import type { Affinity, PodSpec } from '@bosun/api-types';
import {
  matchNodeSelectorTerms,
  toleratedByAny,
  type Node,
  type Taint,
  type Toleration,
} from '@bosun/scheduling';

/**
 * The tolerations Kubernetes gives every daemon pod, so a DaemonSet keeps its pods on nodes that
 * are unreachable, not ready, under pressure or cordoned (they are node infrastructure).
 */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t = (key: string, effect: 'NoExecute' | 'NoSchedule'): Toleration => ({
    key,
    operator: 'Exists',
    effect,
  });
  const list = [
    t('node.kubernetes.io/not-ready', 'NoExecute'),
    t('node.kubernetes.io/unreachable', 'NoExecute'),
    t('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    t('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    t('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    t('node.kubernetes.io/unschedulable', 'NoSchedule'),
  ];
  if (hostNetwork) list.push(t('node.kubernetes.io/network-unavailable', 'NoSchedule'));
  return list;
}

/** What decides where a daemon pod may run: part of the model's PodSpec. */
export type DaemonPodSpec = Pick<
  PodSpec,
  'nodeSelector' | 'affinity' | 'tolerations' | 'hostNetwork'
>;

export interface Placement {
  /** A daemon pod should be created here if missing. */
  readonly shouldRun: boolean;
  /** A daemon pod already here may stay (untolerated NoSchedule taints do not evict). */
  readonly shouldContinueRunning: boolean;
}

/** Kubernetes' nodeShouldRunDaemonPod: node selector, required node affinity, then taints. */
export function placementOn(node: Node, spec: DaemonPodSpec): Placement {
  const labels = node.metadata.labels ?? {};
  const selectorOk = Object.entries(spec.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
  const terms =
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const affinityOk = terms === undefined || matchNodeSelectorTerms(terms, node);
  if (!selectorOk || !affinityOk) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = [
    ...(spec.tolerations ?? []),
    ...daemonTolerations(spec.hostNetwork === true),
  ];
  const untolerated = (effect: Taint['effect']) =>
    (node.spec?.taints ?? []).some((t) => t.effect === effect && !toleratedByAny(tolerations, t));
  const noExecute = untolerated('NoExecute');
  return {
    shouldRun: !noExecute && !untolerated('NoSchedule'),
    shouldContinueRunning: !noExecute,
  };
}

/**
 * The pod's required node affinity with one term pinning it to `nodeName`, as Kubernetes does so
 * the default scheduler places it (the DaemonSet's own affinity already matched this node).
 */
export function pinToNode(affinity: Affinity | undefined, nodeName: string): Affinity {
  return {
    ...affinity,
    nodeAffinity: {
      ...affinity?.nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }],
          },
        ],
      },
    },
  };
}

/** The node a daemon pod is bound to, or pinned to by its affinity while still unscheduled. */
export function daemonPodNode(pod: {
  spec?: Pick<PodSpec, 'nodeName' | 'affinity'>;
}): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const affinity = pod.spec?.affinity;
  const terms =
    affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) {
        return f.values[0];
      }
    }
  }
  return undefined;
}
