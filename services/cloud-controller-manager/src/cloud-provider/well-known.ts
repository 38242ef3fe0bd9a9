/** Labels and taints the cloud controllers own, spelled as Kubernetes spells them. */
export const Labels = {
  instanceType: 'node.kubernetes.io/instance-type',
  zone: 'topology.kubernetes.io/zone',
  region: 'topology.kubernetes.io/region',
} as const;

export const Taints = {
  /** Put on by a kubelet started with an external cloud provider; removed by the node controller. */
  uninitialized: 'node.cloudprovider.kubernetes.io/uninitialized',
  /** Put on a node whose instance is shut down; removed when it runs again. */
  shutdown: 'node.cloudprovider.kubernetes.io/shutdown',
} as const;

/** Keeps a LoadBalancer Service until its load balancer is deleted. */
export const LoadBalancerCleanupFinalizer = 'service.kubernetes.io/load-balancer-cleanup';

export const EventReasons = {
  ensuring: 'EnsuringLoadBalancer',
  ensured: 'EnsuredLoadBalancer',
  syncFailed: 'SyncLoadBalancerFailed',
  deleting: 'DeletingLoadBalancer',
  deleted: 'DeletedLoadBalancer',
  deleteFailed: 'DeletingLoadBalancerFailed',
} as const;
