/** The kinds the cloud controllers read and write are the one model's (@bosun/api-types). */
export type {
  LoadBalancerIngress,
  LoadBalancerStatus,
  Node as NodeObject,
  NodeAddress,
  Service as ServiceObject,
  ServicePort,
  Taint,
} from '@bosun/api-types';
