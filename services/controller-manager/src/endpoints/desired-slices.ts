import type { Endpoint, EndpointPort, Pod, Service } from '@bosun/api-types';
import { endpointPorts, portsKey } from './endpoint-ports';
import {
  isPublishable,
  podIpOf,
  serviceAddressTypes,
  sliceEndpoint,
  type AddressType,
} from './pod-endpoint';

/** The endpoints that share an address type and a set of ports: what may share a slice. */
export interface EndpointGroup {
  readonly addressType: AddressType;
  readonly ports: EndpointPort[];
  /** By `endpointKey`, in pod order. */
  readonly endpoints: Map<string, Endpoint>;
}

/** Which pod an endpoint stands for and at which address: its identity across syncs. */
export function endpointKey(endpoint: Endpoint): string {
  return `${endpoint.targetRef?.uid ?? ''}/${endpoint.addresses[0] ?? ''}`;
}

export function groupKey(addressType: string, ports: readonly EndpointPort[]): string {
  return `${addressType}|${portsKey(ports)}`;
}

/**
 * What the Service's slices should hold, grouped by `groupKey`: every publishable selected pod,
 * once per address family of the Service, with its ports resolved for that pod (so pods whose
 * named port differs land in different groups).
 */
export function desiredGroups(
  service: Service,
  pods: readonly Pod[],
  zoneOf: (nodeName: string) => string | undefined,
): Map<string, EndpointGroup> {
  const groups = new Map<string, EndpointGroup>();
  const types = serviceAddressTypes(service);
  for (const pod of pods) {
    if (!isPublishable(pod, true)) continue;
    const ports = endpointPorts(service.spec.ports ?? [], pod);
    const zone = pod.spec.nodeName ? zoneOf(pod.spec.nodeName) : undefined;
    for (const addressType of types) {
      const ip = podIpOf(pod, addressType);
      if (!ip) continue;
      const key = groupKey(addressType, ports);
      let group = groups.get(key);
      if (!group) {
        group = { addressType, ports, endpoints: new Map() };
        groups.set(key, group);
      }
      const endpoint = sliceEndpoint(pod, service, ip, zone);
      group.endpoints.set(endpointKey(endpoint), endpoint);
    }
  }
  return groups;
}
