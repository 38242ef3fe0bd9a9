import { parseQuantity } from '@bosun/api-types';
import { labelMatcher, selectorKey } from './label-selector';
import {
  addInto,
  emptyResources,
  nonZeroRequests,
  podRequests,
  resourcesFrom,
  type Resources,
} from './resources';
import { controllerUid, podNamespace, type LabelSelector, type Node, type Pod } from './types';

/** A pod with what placement computes from it once. */
export interface PodInfo {
  readonly pod: Pod;
  readonly requests: Resources;
  readonly nonZero: { milliCPU: number; memory: number };
  readonly hostPorts: readonly HostPort[];
}

export interface HostPort {
  readonly protocol: string;
  readonly ip: string;
  readonly port: number;
}

export function podInfoOf(pod: Pod): PodInfo {
  const hostPorts: HostPort[] = [];
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      hostPorts.push({
        protocol: p.protocol ?? 'TCP',
        ip: p.hostIP || '0.0.0.0',
        port: p.hostPort,
      });
    }
  }
  return { pod, requests: podRequests(pod), nonZero: nonZeroRequests(pod), hostPorts };
}

/**
 * One node with the running totals of the pods on it, updated incrementally so a filter or score
 * is O(1) per node. `generation` changes on every change, which keys the per-selector count cache.
 */
export class NodeInfo {
  readonly pods = new Map<string, PodInfo>();
  readonly requested = emptyResources();
  readonly nonZeroRequested = { milliCPU: 0, memory: 0 };
  readonly usedPorts: HostPort[] = [];
  readonly ownerCounts = new Map<string, number>();
  allocatable: Resources;
  allowedPods: number;
  generation = 0;
  private readonly matchCache = new Map<string, { generation: number; count: number }>();

  constructor(public node: Node) {
    this.allocatable = resourcesFrom(node.status?.allocatable);
    this.allowedPods = allowedPodsOf(node);
  }

  get name(): string {
    return this.node.metadata.name ?? '';
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = resourcesFrom(node.status?.allocatable);
    this.allowedPods = allowedPodsOf(node);
    this.generation++;
  }

  addPod(key: string, info: PodInfo): void {
    this.pods.set(key, info);
    this.account(info, 1);
  }

  removePod(key: string): PodInfo | undefined {
    const info = this.pods.get(key);
    if (!info) return undefined;
    this.pods.delete(key);
    this.account(info, -1);
    return info;
  }

  /**
   * Pods in `namespace` matching `selector`, cached until this node next changes. Callers looping
   * over many nodes pass the precomputed `key` (selectorKey) to skip re-serializing the selector.
   */
  countMatching(
    namespace: string,
    selector: LabelSelector | undefined,
    key = selectorKey(namespace, selector),
  ): number {
    const hit = this.matchCache.get(key);
    if (hit && hit.generation === this.generation) return hit.count;
    const matches = labelMatcher(selector);
    let count = 0;
    for (const { pod } of this.pods.values()) {
      if (podNamespace(pod) === namespace && matches(pod.metadata.labels)) count++;
    }
    this.matchCache.set(key, { generation: this.generation, count });
    return count;
  }

  private account(info: PodInfo, sign: 1 | -1): void {
    addInto(this.requested, info.requests, sign);
    this.nonZeroRequested.milliCPU += sign * info.nonZero.milliCPU;
    this.nonZeroRequested.memory += sign * info.nonZero.memory;
    for (const p of info.hostPorts) {
      if (sign > 0) this.usedPorts.push(p);
      else this.usedPorts.splice(this.usedPorts.indexOf(p), 1);
    }
    const owner = controllerUid(info.pod);
    if (owner) {
      const n = (this.ownerCounts.get(owner) ?? 0) + sign;
      if (n > 0) this.ownerCounts.set(owner, n);
      else this.ownerCounts.delete(owner);
    }
    this.generation++;
  }
}

function allowedPodsOf(node: Node): number {
  const pods = node.status?.allocatable?.['pods'];
  return pods === undefined ? 0 : Math.floor(parseQuantity(pods));
}
