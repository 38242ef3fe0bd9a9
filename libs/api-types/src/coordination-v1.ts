import type { Served } from './kube-object';
import type { ILease } from 'kubernetes-models/coordination.k8s.io/v1/Lease';

/** coordination.k8s.io/v1 kinds, from `kubernetes-models`. */
export type Lease = Served<ILease>;

export type { ILeaseSpec as LeaseSpec } from 'kubernetes-models/coordination.k8s.io/v1/LeaseSpec';
