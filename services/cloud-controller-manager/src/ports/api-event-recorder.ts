import { randomBytes } from 'node:crypto';
import type { ApiClient, KubeObject } from '@bosun/api-client';
import type { Logger } from '@bosun/common';
import type { NodeObject, ServiceObject } from '../cloud-provider/types';
import { Resources } from './api-cloud-write-port';
import type { EventRecorder, EventType } from './cloud-write-port';

/**
 * Writes core/v1 Events in the background, as client-go's recorder does: a failed write is logged,
 * never thrown into a reconcile. `drained()` lets a test wait for what was recorded.
 */
export class ApiEventRecorder implements EventRecorder {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly client: ApiClient,
    private readonly component: string,
    private readonly instance: string,
    private readonly log: Logger,
  ) {}

  event(about: ServiceObject | NodeObject, type: EventType, reason: string, message: string): void {
    const namespace = about.metadata.namespace || 'default';
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${about.metadata.name}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: {
        apiVersion: 'v1',
        kind: about.metadata.namespace ? 'Service' : 'Node',
        namespace: about.metadata.namespace,
        name: about.metadata.name,
        uid: about.metadata.uid,
        resourceVersion: about.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.instance,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    const write = this.client
      .create({ ...Resources.events, namespace }, event)
      .then(
        () => undefined,
        (err: unknown) => this.log.warn({ err, reason }, 'event not recorded'),
      )
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  async drained(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
