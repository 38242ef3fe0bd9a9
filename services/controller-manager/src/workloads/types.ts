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

/** A ReplicaSet's or a Deployment's status condition (the two kinds' conditions share a shape). */
export type Condition = DeploymentCondition;
