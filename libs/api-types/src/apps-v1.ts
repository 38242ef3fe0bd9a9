import type { Served } from './kube-object';
import type { IReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';

/** apps/v1 kinds, from `kubernetes-models`; a kind whose spec validation requires has it always. */
export type ReplicaSet = Served<IReplicaSet, 'spec'>;
export type Deployment = Served<IDeployment, 'spec'>;
export type DaemonSet = Served<IDaemonSet, 'spec'>;

export type { IReplicaSetSpec as ReplicaSetSpec } from 'kubernetes-models/apps/v1/ReplicaSetSpec';
export type { IReplicaSetStatus as ReplicaSetStatus } from 'kubernetes-models/apps/v1/ReplicaSetStatus';
export type { IDeploymentSpec as DeploymentSpec } from 'kubernetes-models/apps/v1/DeploymentSpec';
export type { IDeploymentStatus as DeploymentStatus } from 'kubernetes-models/apps/v1/DeploymentStatus';
export type { IDeploymentStrategy as DeploymentStrategy } from 'kubernetes-models/apps/v1/DeploymentStrategy';
export type { IDeploymentCondition as DeploymentCondition } from 'kubernetes-models/apps/v1/DeploymentCondition';
export type { IDaemonSetSpec as DaemonSetSpec } from 'kubernetes-models/apps/v1/DaemonSetSpec';
export type { IDaemonSetStatus as DaemonSetStatus } from 'kubernetes-models/apps/v1/DaemonSetStatus';
export type { IDaemonSetCondition as DaemonSetCondition } from 'kubernetes-models/apps/v1/DaemonSetCondition';
