import { hostname } from 'node:os';
import {
  isUidPreconditionFailure,
  PatchType,
  type ApiClient,
  type KubeObject,
} from '@bosun/api-client';
import { Resources } from '@bosun/api-types';
import { ErrorCode, isBosunError, type Logger } from '@bosun/common';
import {
  apiEventPort,
  EventBroadcaster,
  type EventRecorder,
  type Lease,
} from '@bosun/controller-kit';
import type { ConfigMap, Pod, PodStatus, Secret } from '../pods/pod-types';
import type { ClusterPort, NodeEvent, NodeTaint } from './cluster-port';

type CoreResource = 'configMaps' | 'secrets' | 'pods' | 'events' | 'nodes';
const core = (resource: CoreResource, namespace?: string) => ({
  ...Resources[resource],
  namespace,
});
const leases = (namespace: string) => ({ ...Resources.leases, namespace });

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (isBosunError(e, ErrorCode.NotFound)) return undefined;
    throw e;
  }
}

/** The ClusterPort over the Kubernetes REST API (the node's kubeconfig). */
export class ApiClusterPort implements ClusterPort {
  private readonly events: EventRecorder;

  constructor(
    private readonly client: ApiClient,
    private readonly nodeName: string,
    logger?: Logger,
  ) {
    // The kubelet's recorder: the kit's one Event builder, repeats counted on one Event.
    const broadcaster = new EventBroadcaster({ port: apiEventPort(client), logger });
    this.events = broadcaster.recorder(
      { component: 'kubelet', host: nodeName },
      nodeName || hostname(),
    );
  }

  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    return orUndefined(this.client.get<ConfigMap>(core('configMaps', namespace), name));
  }

  getSecret(namespace: string, name: string): Promise<Secret | undefined> {
    return orUndefined(this.client.get<Secret>(core('secrets', namespace), name));
  }

  async updatePodStatus(pod: Pod, status: PodStatus): Promise<Pod> {
    // A merge patch on /status: the kubelet owns status, nobody else races it on these fields,
    // and containerStatuses are replaced whole (merge patch replaces lists).
    return this.client.patch<Pod>(
      core('pods', pod.metadata.namespace),
      pod.metadata.name ?? '',
      { metadata: { uid: pod.metadata.uid }, status },
      PatchType.Merge,
      'status',
    );
  }

  async deletePodNow(namespace: string, name: string, uid: string): Promise<void> {
    try {
      await orUndefined(
        this.client.delete(core('pods', namespace), name, {
          gracePeriodSeconds: 0,
          preconditions: { uid },
        }),
      );
    } catch (e) {
      // Another pod of the same name: the one this agent ran is gone already.
      if (!isUidPreconditionFailure(e)) throw e;
    }
  }

  /** Queues the Event; it is written in the background and never fails the caller. */
  async recordEvent(event: NodeEvent): Promise<void> {
    const about = { apiVersion: 'v1', ...event.target };
    this.events.event(about, event.type, event.reason, event.message);
  }

  getNode(name: string): Promise<Record<string, unknown> | undefined> {
    return orUndefined(this.client.get<KubeObject>(core('nodes'), name));
  }

  createNode(node: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.client.create<KubeObject>(core('nodes'), node as KubeObject);
  }

  async patchNodeStatus(name: string, status: Record<string, unknown>): Promise<void> {
    await this.client.patch(core('nodes'), name, { status }, PatchType.Merge, 'status');
  }

  async patchNode(name: string, patch: Record<string, unknown>): Promise<void> {
    await this.client.patch(core('nodes'), name, patch, PatchType.Merge);
  }

  async setNodeTaint(name: string, taint: NodeTaint, present: boolean): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const node = await this.client.get<KubeObject>(core('nodes'), name);
      const spec = (node.spec ?? {}) as { taints?: NodeTaint[] };
      const others = (spec.taints ?? []).filter(
        (t) => !(t.key === taint.key && t.effect === taint.effect),
      );
      const had = others.length !== (spec.taints ?? []).length;
      if (had === present) return;
      const taints = present ? [...others, taint] : others;
      try {
        await this.client.update(core('nodes'), { ...node, spec: { ...spec, taints } });
        return;
      } catch (e) {
        if (!isBosunError(e, ErrorCode.Conflict) || attempt >= 10) throw e;
      }
    }
  }

  getLease(namespace: string, name: string): Promise<Lease | undefined> {
    return orUndefined(this.client.get<Lease>(leases(namespace), name));
  }

  createLease(lease: Lease): Promise<Lease> {
    return this.client.create(leases(lease.metadata.namespace ?? ''), lease);
  }

  updateLease(lease: Lease): Promise<Lease> {
    return this.client.update(leases(lease.metadata.namespace ?? ''), lease);
  }
}
