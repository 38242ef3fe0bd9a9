import type { EndpointPort, Pod, ServicePort } from '@bosun/api-types';
import { canonicalJson } from '../workloads/canonical-json';

/**
 * The port a Service port reaches on one pod: a number as given (the Service port when absent),
 * a name looked up among the pod's container ports of the same protocol. Undefined when the pod
 * has no such named port: that port is left out for this pod, as Kubernetes does.
 */
export function targetPortOn(port: ServicePort, pod: Pod): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const protocol = port.protocol ?? 'TCP';
  for (const container of pod.spec.containers ?? []) {
    for (const p of container.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** The endpoint ports of a pod for a Service, in the Service's order. */
export function endpointPorts(ports: readonly ServicePort[], pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of ports) {
    const port = targetPortOn(sp, pod);
    if (port === undefined) continue;
    out.push({
      name: sp.name ?? '',
      port,
      protocol: sp.protocol ?? 'TCP',
      ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}),
    });
  }
  return out;
}

/** Endpoints sharing this key share one set of ports, so they can share a slice. */
export function portsKey(ports: readonly EndpointPort[]): string {
  return canonicalJson(ports);
}
