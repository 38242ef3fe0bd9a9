import type { FilterPlugin } from '../framework';
import { InterPodAffinity, InterPodAntiAffinity } from './inter-pod-affinity';
import { NodeAffinity } from './node-affinity';
import { NodeName } from './node-name';
import { NodePorts } from './node-ports';
import { NodeResourcesFit } from './node-resources-fit';
import { NodeUnschedulable } from './node-unschedulable';
import { PodTopologySpread } from './pod-topology-spread';
import { TaintToleration } from './taint-toleration';

/**
 * kube-scheduler's default filter order. A node is rejected by the first check it fails, so the
 * order decides which reason a FitError reports: cheap, unresolvable checks (cordon, name, taints,
 * selector) first, then ports and resources, then the costly pod-to-pod checks.
 */
export const defaultFilters: readonly FilterPlugin[] = [
  NodeUnschedulable,
  NodeName,
  TaintToleration,
  NodeAffinity,
  NodePorts,
  NodeResourcesFit,
  PodTopologySpread,
  InterPodAffinity,
];

export {
  InterPodAffinity,
  InterPodAntiAffinity,
  NodeAffinity,
  NodeName,
  NodePorts,
  NodeResourcesFit,
  NodeUnschedulable,
  PodTopologySpread,
  TaintToleration,
};
