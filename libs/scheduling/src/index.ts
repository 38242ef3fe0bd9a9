export * from './types';
export {
  podRequests,
  nonZeroRequests,
  resourcesFrom,
  ResourceName,
  DefaultMilliCPURequest,
  DefaultMemoryRequest,
  type Resources,
} from './resources';
export { labelMatcher, type LabelMatcher } from './label-selector';
export { matchNodeSelectorTerm, matchNodeSelectorTerms } from './node-selector';
export { tolerates, toleratedByAny } from './tolerations';
export { NodeInfo, podInfoOf, type PodInfo, type HostPort } from './node-info';
export { ClusterSnapshot } from './cluster-snapshot';
export {
  MaxNodeScore,
  normalizeScores,
  reject,
  type CycleInput,
  type FilterPlugin,
  type PreparedScore,
  type Rejection,
  type ScorePlugin,
} from './framework';
export * from './filters';
export { ErrReasonUnschedulable } from './filters/node-unschedulable';
export { ErrReasonNodeName } from './filters/node-name';
export { ErrReasonPod } from './filters/node-affinity';
export { ErrReasonNodePorts } from './filters/node-ports';
export { ErrReasonTooManyPods } from './filters/node-resources-fit';
export {
  ErrReasonAffinityRulesNotMatch,
  ErrReasonAntiAffinityRulesNotMatch,
  ErrReasonExistingAntiAffinityRulesNotMatch,
} from './filters/inter-pod-affinity';
export {
  ErrReasonConstraintsNotMatch,
  ErrReasonNodeLabelNotMatch,
} from './filters/pod-topology-spread';
export * from './scores';
export { numFeasibleNodesToFind } from './num-feasible-nodes';
export { FitError, ErrNoNodesAvailable } from './fit-error';
export { schedule, scoreNodes, type ScheduleOptions, type ScheduleResult } from './schedule';
export {
  SchedulingQueue,
  ClusterEvent,
  type QueuedPodInfo,
  type SchedulingQueueOptions,
} from './scheduling-queue';
export { AssumeCache } from './assume-cache';
export { realClock, type Clock } from './clock';
export {
  scheduleOne,
  type Binder,
  type ScheduleOneDeps,
  type ScheduleOneResult,
} from './schedule-one';
