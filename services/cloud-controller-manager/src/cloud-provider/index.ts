export type { CloudProvider, InstanceMetadata, InstancesV2, LoadBalancer } from './cloud-provider';
export type {
  LoadBalancerIngress,
  LoadBalancerStatus,
  NodeAddress,
  NodeObject,
  ServiceObject,
  ServicePort,
  Taint,
} from './types';
export { EventReasons, Labels, LoadBalancerCleanupFinalizer, Taints } from './well-known';
