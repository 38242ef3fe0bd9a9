import type { Served } from './kube-object';
import type { IReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';

/** apps/v1 kinds, from `kubernetes-models`. */
export type ReplicaSet = Served<IReplicaSet>;
export type Deployment = Served<IDeployment>;
export type DaemonSet = Served<IDaemonSet>;

export type { IReplicaSetSpec as ReplicaSetSpec } from 'kubernetes-models/apps/v1/ReplicaSetSpec';
export type { IReplicaSetStatus as ReplicaSetStatus } from 'kubernetes-models/apps/v1/ReplicaSetStatus';
export type { IDeploymentSpec as DeploymentSpec } from 'kubernetes-models/apps/v1/DeploymentSpec';
export type { IDeploymentStatus as DeploymentStatus } from 'kubernetes-models/apps/v1/DeploymentStatus';
export type { IDeploymentStrategy as DeploymentStrategy } from 'kubernetes-models/apps/v1/DeploymentStrategy';
export type { IDeploymentCondition as DeploymentCondition } from 'kubernetes-models/apps/v1/DeploymentCondition';
export type { IDaemonSetSpec as DaemonSetSpec } from 'kubernetes-models/apps/v1/DaemonSetSpec';
export type { IDaemonSetStatus as DaemonSetStatus } from 'kubernetes-models/apps/v1/DaemonSetStatus';
export type { IDaemonSetCondition as DaemonSetCondition } from 'kubernetes-models/apps/v1/DaemonSetCondition';
