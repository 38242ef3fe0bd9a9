import type { DeploymentCondition } from '@bosun/api-types';

/**
 * The workload kinds the controllers read and write come from the one model in
 * @bosun/api-types; this file only gives them the names this service's helpers use.
 */
export type {
  Deployment,
  DeploymentStatus,
  DeploymentStrategy,
  LabelSelector,
  ObjectMeta,
  OwnerReference as OwnerRef,
  Pod,
  PodTemplateSpec as PodTemplate,
  ReplicaSet,
  ReplicaSetStatus,
} from '@bosun/api-types';

/**
 * A status condition of the kinds these controllers write (ReplicaSet, Deployment, Job, Node, Pod):
 * the model's shared shape plus the timestamps only some of them carry.
 */
export type Condition = DeploymentCondition & {
  lastProbeTime?: string | null;
  lastHeartbeatTime?: string;
};
