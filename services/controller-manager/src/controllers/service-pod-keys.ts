import type { Pod, Service } from '@bosun/api-types';
import { IndexName, objectKey, type Informer, type KubeObject } from '@bosun/controller-kit';
import { selects } from '../endpoints/service-selection';

/**
 * Maps a pod event to the Services to sync: those selecting the pod now and those that selected
 * it at its previous event (a pod whose labels changed, or that went, must leave their
 * endpoints). Remembers only pods some Service selects.
 */
export function servicesOfPod(
  services: Informer<Service>,
  pods: Informer<Pod>,
): (obj: KubeObject) => string[] {
  const last = new Map<string, string[]>();
  return (obj) => {
    const key = objectKey(obj);
    const pod = pods.get(key);
    const now = pod
      ? services
          .byIndex(IndexName.Namespace, pod.metadata.namespace ?? '')
          .filter((s) => selects(s, pod))
          .map(objectKey)
      : [];
    const before = last.get(key) ?? [];
    if (now.length > 0) last.set(key, now);
    else last.delete(key);
    return [...new Set([...before, ...now])];
  };
}

/** The pods a Service selects, from the cache. */
export function selectedPods(pods: Informer<Pod>, service: Service): Pod[] {
  return pods
    .byIndex(IndexName.Namespace, service.metadata.namespace ?? '')
    .filter((p) => selects(service, p));
}

/**
 * Node heartbeats update every node every few seconds; only a node whose zone label changes (or
 * that comes or goes) concerns the endpoints of the pods on it.
 */
export function zoneChanged(zoneOf: (node: KubeObject) => string | undefined) {
  const seen = new Map<string, string | undefined>();
  return (node: KubeObject, present: boolean): boolean => {
    const name = node.metadata.name ?? '';
    if (!present) return seen.delete(name);
    const zone = zoneOf(node);
    if (seen.has(name) && seen.get(name) === zone) return false;
    const known = seen.has(name);
    seen.set(name, zone);
    return known || zone !== undefined;
  };
}
