import type { Endpoint, Pod, Service } from '@bosun/api-types';
import { isPodReady, isTerminal, isTerminating } from '../workloads/pod-state';

export type AddressType = 'IPv4' | 'IPv6';

export const addressTypeOf = (ip: string): AddressType => (ip.includes(':') ? 'IPv6' : 'IPv4');

/**
 * Whether a pod is published at all: it has an IP and has not finished. A terminating pod stays
 * in EndpointSlices (marked terminating); the core/v1 Endpoints drop it unless the Service
 * publishes not-ready addresses.
 */
export function isPublishable(pod: Pod, includeTerminating: boolean): boolean {
  if (isTerminal(pod) || podIps(pod).length === 0) return false;
  return includeTerminating || !isTerminating(pod);
}

export function podIps(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => !!ip);
  const primary = pod.status?.podIP;
  return primary && !ips.includes(primary) ? [primary, ...ips] : ips;
}

/** The pod's address of one family, if it has one. */
export function podIpOf(pod: Pod, type: AddressType): string | undefined {
  return podIps(pod).find((ip) => addressTypeOf(ip) === type);
}

/** The address families a Service's endpoints come in (its ipFamilies; IPv4 by default). */
export function serviceAddressTypes(service: Service): AddressType[] {
  const families = (service.spec.ipFamilies ?? []).filter(
    (f): f is AddressType => f === 'IPv4' || f === 'IPv6',
  );
  return families.length > 0 ? families : ['IPv4'];
}

/**
 * Ready means the Service should send new traffic to it: a ready pod not on its way out, or any
 * pod when the Service publishes not-ready addresses. Serving ignores termination.
 */
export function endpointConditions(pod: Pod, service: Service) {
  const publishNotReady = service.spec.publishNotReadyAddresses === true;
  const terminating = isTerminating(pod);
  const serving = publishNotReady || isPodReady(pod);
  return { ready: publishNotReady || (serving && !terminating), serving, terminating };
}

/** A pod's DNS hostname under a Service: set when its subdomain names the Service. */
export function endpointHostname(pod: Pod, service: Service): string | undefined {
  const hostname = pod.spec.hostname;
  return hostname && pod.spec.subdomain === service.metadata.name ? hostname : undefined;
}

export function podReference(pod: Pod) {
  return {
    kind: 'Pod',
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    uid: pod.metadata.uid,
  };
}

/** One EndpointSlice endpoint for a pod's address; `zone` from its node's topology label. */
export function sliceEndpoint(
  pod: Pod,
  service: Service,
  address: string,
  zone: string | undefined,
): Endpoint {
  const hostname = endpointHostname(pod, service);
  const nodeName = pod.spec.nodeName;
  return {
    addresses: [address],
    conditions: endpointConditions(pod, service),
    ...(hostname ? { hostname } : {}),
    ...(nodeName ? { nodeName } : {}),
    ...(zone ? { zone } : {}),
    targetRef: podReference(pod),
  };
}
