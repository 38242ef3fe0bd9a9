import type { Lease } from '@bosun/controller-kit';
import type { ConfigMap, Pod, PodStatus, Secret } from '../pods/pod-types';

/** An object reference an Event is about (`involvedObject`). */
export interface EventTarget {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly uid?: string;
  readonly fieldPath?: string;
}

export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface NodeEvent {
  readonly target: EventTarget;
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

/**
 * Everything the node agent writes to (or reads point-wise from) the cluster, besides the pod
 * informer. Narrow on purpose: the pod logic is tested against it, the API adapter once.
 */
export interface ClusterPort {
  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  getSecret(namespace: string, name: string): Promise<Secret | undefined>;
  /** Writes `status` through pods/status; returns the stored pod. */
  updatePodStatus(pod: Pod, status: PodStatus): Promise<Pod>;
  /** The final delete once the containers are gone (gracePeriodSeconds=0, uid precondition). */
  deletePodNow(namespace: string, name: string, uid: string): Promise<void>;
  recordEvent(event: NodeEvent): Promise<void>;

  getNode(name: string): Promise<Record<string, unknown> | undefined>;
  createNode(node: Record<string, unknown>): Promise<Record<string, unknown>>;
  patchNodeStatus(name: string, status: Record<string, unknown>): Promise<void>;
  /** Merge-patches the Node itself (metadata the agent owns), not its status. */
  patchNode(name: string, patch: Record<string, unknown>): Promise<void>;
  /**
   * Adds (`present`) or removes one taint in the Node's spec.taints, keeping the others (the node
   * lifecycle controller owns some): read, change, write with the resourceVersion, retry on 409.
   */
  setNodeTaint(name: string, taint: NodeTaint, present: boolean): Promise<void>;

  getLease(namespace: string, name: string): Promise<Lease | undefined>;
  createLease(lease: Lease): Promise<Lease>;
  updateLease(lease: Lease): Promise<Lease>;
}
