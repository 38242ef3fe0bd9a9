export { IpPool, PoolExhaustedError } from './ip-pool';
export {
  LOCAL_PROVIDER,
  LocalCloudProvider,
  LocalLoadBalancers,
  loadBalancerName,
  recordedIps,
  type LocalProviderOptions,
} from './local-provider';
