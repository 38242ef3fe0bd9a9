import { randomBytes } from 'node:crypto';
import { ErrorCode, isBosunError, type Logger } from '@bosun/common';
import type { ApiClient, KubeObject } from '@bosun/api-client';
import { Resources } from '@bosun/api-types';
import type { Binder, Pod } from '@bosun/scheduling';
import { EventSink } from './event-sink';

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
const events = (namespace: string) => ({ ...Resources.events, namespace });
const nsOf = (pod: { metadata: { namespace?: string } }): string =>
  pod.metadata.namespace ?? 'default';
const rfc3339 = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * The scheduler's writes to the api-server: binds through the pods/binding subresource, the
 * PodScheduled=False condition through pods/status with a resourceVersion precondition, and
 * core/v1 Events as kube-scheduler records them.
 */
export class PodWriter implements Binder, SchedulingReporter {
  readonly events: EventSink;

  constructor(
    private readonly client: ApiClient,
    private readonly component: string,
    private readonly instance: string,
    private readonly log: Logger,
  ) {
    this.events = new EventSink(log);
  }

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
    this.event(pod, 'Warning', 'FailedScheduling', 'Scheduling', message);
    await this.setUnschedulableCondition(pod, message);
  }

  async scheduled(pod: KubeObject, nodeName: string): Promise<void> {
    const name = `${nsOf(pod)}/${pod.metadata.name ?? ''}`;
    const message = `Successfully assigned ${name} to ${nodeName}`;
    this.event(pod, 'Normal', 'Scheduled', 'Binding', message);
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
      lastTransitionTime: old?.status === 'False' ? old.lastTransitionTime : rfc3339(),
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

  /** Queues a core/v1 Event; written in the background by the sink (best effort, as upstream). */
  private event(
    pod: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    action: string,
    message: string,
  ): void {
    const namespace = nsOf(pod);
    const now = rfc3339();
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${pod.metadata.name}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        namespace,
        name: pod.metadata.name,
        uid: pod.metadata.uid,
        resourceVersion: pod.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      action,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.instance,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    this.events.record(async () => {
      await this.client.create(events(namespace), event);
    });
  }
}
