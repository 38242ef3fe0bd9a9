import type {
  CoreEndpointPort,
  EndpointAddress,
  EndpointSubset,
  Endpoints,
  Pod,
  Service,
} from '@bosun/api-types';
import { MaxEndpointsAddresses, OverCapacityAnnotation, SkipMirrorLabel } from './endpoint-labels';
import { endpointPorts, portsKey } from './endpoint-ports';
import {
  endpointConditions,
  endpointHostname,
  isPublishable,
  podIpOf,
  podReference,
  serviceAddressTypes,
} from './pod-endpoint';
import { serviceLabels } from './service-selection';

interface Subset {
  readonly ports: CoreEndpointPort[];
  readonly ready: EndpointAddress[];
  readonly notReady: EndpointAddress[];
}

/**
 * The core/v1 Endpoints of a Service, as Kubernetes' endpoints controller builds them: one
 * address per selected pod (of the Service's primary family), ready ones in `addresses`, the
 * rest in `notReadyAddresses`, pods with the same resolved ports sharing a subset. A terminating
 * pod is left out unless the Service publishes not-ready addresses. At most 1000 addresses, ready
 * first, with `endpoints.kubernetes.io/over-capacity: truncated` when some were dropped.
 */
export function desiredEndpoints(service: Service, pods: readonly Pod[]): Endpoints {
  const publishNotReady = service.spec.publishNotReadyAddresses === true;
  const family = serviceAddressTypes(service)[0];
  const servicePorts = service.spec.ports ?? [];
  const subsets = new Map<string, Subset>();
  for (const pod of pods) {
    const ip = podIpOf(pod, family);
    if (!ip || !isPublishable(pod, publishNotReady)) continue;
    const ports = endpointPorts(servicePorts, pod).map(({ name, port, protocol, appProtocol }) => ({
      ...(name ? { name } : {}),
      port: port ?? 0,
      protocol,
      ...(appProtocol ? { appProtocol } : {}),
    }));
    // A pod none of whose named ports resolve serves nothing of this Service.
    if (servicePorts.length > 0 && ports.length === 0) continue;
    const key = portsKey(ports);
    const subset = subsets.get(key) ?? { ports, ready: [], notReady: [] };
    subsets.set(key, subset);
    const address = endpointAddress(pod, service, ip);
    if (endpointConditions(pod, service).ready) subset.ready.push(address);
    else subset.notReady.push(address);
  }
  const { kept, truncated } = truncate([...subsets.entries()].sort(([a], [b]) => cmp(a, b)));
  const annotations = truncated ? { [OverCapacityAnnotation]: 'truncated' } : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: service.metadata.name,
      namespace: service.metadata.namespace,
      labels: { ...serviceLabels(service), [SkipMirrorLabel]: 'true' },
      ...(annotations ? { annotations } : {}),
    },
    subsets: kept,
  };
}

function endpointAddress(pod: Pod, service: Service, ip: string): EndpointAddress {
  const hostname = endpointHostname(pod, service);
  const nodeName = pod.spec.nodeName;
  return {
    ip,
    ...(hostname ? { hostname } : {}),
    ...(nodeName ? { nodeName } : {}),
    targetRef: podReference(pod),
  };
}

/** Ready addresses are kept before not-ready ones, each in address order, up to the cap. */
function truncate(entries: [string, Subset][]): { kept: EndpointSubset[]; truncated: boolean } {
  let budget = MaxEndpointsAddresses;
  const byIp = (a: EndpointAddress, b: EndpointAddress) => cmp(a.ip, b.ip);
  const take = (list: EndpointAddress[]) => {
    const out = [...list].sort(byIp).slice(0, Math.max(0, budget));
    budget -= out.length;
    return out;
  };
  const total = entries.reduce((n, [, s]) => n + s.ready.length + s.notReady.length, 0);
  const ready = entries.map(([, s]) => take(s.ready));
  const notReady = entries.map(([, s]) => take(s.notReady));
  const kept = entries
    .map(([, s], i) => ({
      ...(ready[i].length ? { addresses: ready[i] } : {}),
      ...(notReady[i].length ? { notReadyAddresses: notReady[i] } : {}),
      ...(s.ports.length ? { ports: s.ports } : {}),
    }))
    .filter((s) => s.addresses || s.notReadyAddresses);
  return { kept, truncated: total > MaxEndpointsAddresses };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
