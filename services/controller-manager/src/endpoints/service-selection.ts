import { HeadlessLabel } from './endpoint-labels';
import type { Pod, Service } from '@bosun/api-types';

/**
 * Whether the endpoint controllers manage this Service's endpoints: it has a selector (without
 * one the user writes them) and is not an ExternalName (a DNS alias has no endpoints).
 */
export function managesEndpoints(service: Service): boolean {
  const selector = service.spec.selector;
  return (
    selector !== undefined &&
    Object.keys(selector).length > 0 &&
    service.spec.type !== 'ExternalName' &&
    service.metadata.deletionTimestamp === undefined
  );
}

/** A Service's selector is a plain label map: every pair must match. */
export function selects(service: Service, pod: Pod): boolean {
  if (!managesEndpoints(service)) return false;
  if ((service.metadata.namespace ?? '') !== (pod.metadata.namespace ?? '')) return false;
  const labels = pod.metadata.labels ?? {};
  return Object.entries(service.spec.selector ?? {}).every(([k, v]) => labels[k] === v);
}

export function isHeadless(service: Service): boolean {
  return service.spec.clusterIP === 'None';
}

/** The labels of what the controllers write for a Service: the Service's own, then theirs. */
export function serviceLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(service.metadata.labels ?? {}) };
  if (isHeadless(service)) labels[HeadlessLabel] = '';
  else delete labels[HeadlessLabel];
  return labels;
}
