import { Quantity } from '@bosun/api-types';
import type { Container, Pod } from './types';

/** CPU in millicores, memory and storage in bytes, extended resources as counts. */
export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  scalar: Map<string, number>;
}

export const ResourceName = {
  Cpu: 'cpu',
  Memory: 'memory',
  EphemeralStorage: 'ephemeral-storage',
  Pods: 'pods',
} as const;

// What a container without requests is assumed to use when scoring (not when fitting), so
// request-less pods still spread out. Same defaults as kube-scheduler.
export const DefaultMilliCPURequest = 100;
export const DefaultMemoryRequest = 200 * 1024 * 1024;

export function emptyResources(): Resources {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: new Map() };
}

export function resourcesFrom(
  list: Readonly<Record<string, string | number>> | undefined,
): Resources {
  const r = emptyResources();
  for (const [name, value] of Object.entries(list ?? {})) {
    // Kubernetes' MilliValue() for CPU and Value() for the rest: both round up.
    if (name === ResourceName.Cpu) r.milliCPU = Quantity.parse(value).milliValue();
    else if (name === ResourceName.Memory) r.memory = Quantity.parse(value).value();
    else if (name === ResourceName.EphemeralStorage)
      r.ephemeralStorage = Quantity.parse(value).value();
    else if (name !== ResourceName.Pods) r.scalar.set(name, Quantity.parse(value).value());
  }
  return r;
}

export function addInto(target: Resources, r: Resources, sign = 1): void {
  target.milliCPU += sign * r.milliCPU;
  target.memory += sign * r.memory;
  target.ephemeralStorage += sign * r.ephemeralStorage;
  for (const [name, v] of r.scalar)
    target.scalar.set(name, (target.scalar.get(name) ?? 0) + sign * v);
}

function maxInto(target: Resources, r: Resources): void {
  target.milliCPU = Math.max(target.milliCPU, r.milliCPU);
  target.memory = Math.max(target.memory, r.memory);
  target.ephemeralStorage = Math.max(target.ephemeralStorage, r.ephemeralStorage);
  for (const [name, v] of r.scalar)
    target.scalar.set(name, Math.max(target.scalar.get(name) ?? 0, v));
}

const containerRequests = (c: Container): Resources => resourcesFrom(c.resources?.requests);

/**
 * What a pod needs on a node: the sum of its containers, or the largest init container if that is
 * more (init containers run one at a time, before the others), plus the runtime's overhead.
 */
export function podRequests(pod: Pod): Resources {
  const sum = emptyResources();
  for (const c of pod.spec.containers) addInto(sum, containerRequests(c));
  for (const c of pod.spec.initContainers ?? []) maxInto(sum, containerRequests(c));
  if (pod.spec.overhead) addInto(sum, resourcesFrom(pod.spec.overhead));
  return sum;
}

/** CPU and memory with the scoring defaults substituted for containers that request nothing. */
export function nonZeroRequests(pod: Pod): { milliCPU: number; memory: number } {
  let milliCPU = 0;
  let memory = 0;
  for (const c of pod.spec.containers) {
    const r = containerRequests(c);
    milliCPU += r.milliCPU || DefaultMilliCPURequest;
    memory += r.memory || DefaultMemoryRequest;
  }
  for (const c of pod.spec.initContainers ?? []) {
    const r = containerRequests(c);
    milliCPU = Math.max(milliCPU, r.milliCPU || DefaultMilliCPURequest);
    memory = Math.max(memory, r.memory || DefaultMemoryRequest);
  }
  const overhead = resourcesFrom(pod.spec.overhead);
  return { milliCPU: milliCPU + overhead.milliCPU, memory: memory + overhead.memory };
}
