import type { Pod } from '@bosun/api-types';

/** The Kubernetes kinds placement reads are the one model's (@bosun/api-types). */
export type {
  Affinity,
  Container,
  ContainerPort,
  LabelSelector,
  LabelSelectorRequirement,
  Node,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  Pod,
  PodAffinityTerm,
  PreferredSchedulingTerm,
  Taint,
  Toleration,
  TopologySpreadConstraint,
} from '@bosun/api-types';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export const ZoneLabel = 'topology.kubernetes.io/zone';
export const HostnameLabel = 'kubernetes.io/hostname';

export function podKey(pod: Pod): string {
  return pod.metadata.uid ?? `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

export function podNamespace(pod: Pod): string {
  return pod.metadata.namespace ?? 'default';
}

export function controllerUid(pod: Pod): string | undefined {
  return pod.metadata.ownerReferences?.find((r) => r.controller)?.uid;
}
