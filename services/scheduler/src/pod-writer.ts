import { ErrorCode, isBosunError } from '@bosun/common';
import type { ApiClient, KubeObject } from '@bosun/api-client';
import { formatTime, referenceTo, type EventRecorder } from '@bosun/controller-kit';
import { Resources } from '@bosun/api-types';
import type { Binder, Pod } from '@bosun/scheduling';

/** What the scheduler writes besides bindings: the PodScheduled condition and Events. */
export interface SchedulingReporter {
  unschedulable(pod: KubeObject, message: string): Promise<void>;
  scheduled(pod: KubeObject, nodeName: string): Promise<void>;
}

// A wire condition: kube-scheduler sends lastProbeTime as null, which the model has no type for.
interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

const pods = (namespace: string) => ({ ...Resources.pods, namespace });
const nsOf = (pod: { metadata: { namespace?: string } }): string =>
  pod.metadata.namespace ?? 'default';

const podRef = (pod: KubeObject) => referenceTo(pod, { apiVersion: 'v1', kind: 'Pod' });

/**
 * The scheduler's writes to the api-server: binds through the pods/binding subresource, the
 * PodScheduled=False condition through pods/status with a resourceVersion precondition, and
 * core/v1 Events as kube-scheduler records them (through the kit's recorder: in the background,
 * repeats counted on one Event).
 */
export class PodWriter implements Binder, SchedulingReporter {
  constructor(
    private readonly client: ApiClient,
    private readonly events: EventRecorder,
  ) {}

  async bind(pod: Pod, nodeName: string): Promise<void> {
    const namespace = nsOf(pod);
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: pod.metadata.name, namespace, uid: pod.metadata.uid },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    };
    // ApiClient.create has no subresource argument; the binding collection is pods/<name>/binding.
    const ref = {
      ...pods(namespace),
      resource: `pods/${encodeURIComponent(pod.metadata.name ?? '')}/binding`,
    };
    await this.client.create(ref, binding);
  }

  async unschedulable(pod: KubeObject, message: string): Promise<void> {
    this.events.event(podRef(pod), 'Warning', 'FailedScheduling', message, {
      action: 'Scheduling',
    });
    await this.setUnschedulableCondition(pod, message);
  }

  async scheduled(pod: KubeObject, nodeName: string): Promise<void> {
    const name = `${nsOf(pod)}/${pod.metadata.name ?? ''}`;
    const message = `Successfully assigned ${name} to ${nodeName}`;
    this.events.event(podRef(pod), 'Normal', 'Scheduled', message, { action: 'Binding' });
  }

  /** Writes only when the condition changes, so a pod that stays unschedulable stays quiet. */
  private async setUnschedulableCondition(pod: KubeObject, message: string): Promise<void> {
    const status = (pod.status ?? {}) as { conditions?: Condition[] };
    const conditions = status.conditions ?? [];
    const old = conditions.find((c) => c.type === 'PodScheduled');
    if (old?.status === 'False' && old.reason === 'Unschedulable' && old.message === message)
      return;
    const condition: Condition = {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message,
      lastProbeTime: null,
      lastTransitionTime: old?.status === 'False' ? old.lastTransitionTime : formatTime(Date.now()),
    };
    const updated: KubeObject = {
      ...pod,
      status: { ...status, conditions: [...conditions.filter((c) => c !== old), condition] },
    };
    try {
      await this.client.update(pods(nsOf(pod)), updated, 'status');
    } catch (error) {
      // The pod changed (or went away) since we read it: the next attempt writes it afresh.
      if (isBosunError(error, ErrorCode.Conflict) || isBosunError(error, ErrorCode.NotFound))
        return;
      throw error;
    }
  }
}
