import { Informer, testing } from '@bosun/controller-kit';
import type { NodeObject, ServiceObject } from '../cloud-provider/types';
import type { CloudWritePort, EventRecorder, EventType } from '../ports/cloud-write-port';

export interface RecordedEvent {
  readonly object: string;
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
}

const finalizersOf = (o: ServiceObject): string[] => (o.metadata.finalizers as string[]) ?? [];

/**
 * Nodes and Services in memory with the api-server's write rules the controllers rely on
 * (resourceVersion preconditions, finalizers holding a delete), informers over them, and every
 * write and Event recorded for the test to check.
 */
export class FakeCloudCluster implements CloudWritePort, EventRecorder {
  readonly nodePort = new testing.InMemoryResourcePort<NodeObject>();
  readonly servicePort = new testing.InMemoryResourcePort<ServiceObject>();
  readonly nodes = new Informer<NodeObject>({ name: 'nodes', port: this.nodePort });
  readonly services = new Informer<ServiceObject>({ name: 'services', port: this.servicePort });
  readonly writes: string[] = [];
  readonly events: RecordedEvent[] = [];

  async start(): Promise<void> {
    await Promise.all([this.nodes.start(), this.services.start()]);
  }

  stop(): void {
    this.nodes.stop();
    this.services.stop();
  }

  service(name: string, namespace = 'default'): ServiceObject | undefined {
    return this.servicePort.get(namespace, name);
  }

  node(name: string): NodeObject | undefined {
    return this.nodePort.get('', name);
  }

  /** A user's delete: held while finalizers remain, as the api-server does. */
  deleteService(name: string, namespace = 'default'): void {
    const svc = this.servicePort.get(namespace, name)!;
    if (finalizersOf(svc).length === 0) this.servicePort.delete(namespace, name);
    else
      this.servicePort.update({
        ...svc,
        metadata: { ...svc.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' },
      });
  }

  // CloudWritePort
  async updateNode(node: NodeObject): Promise<NodeObject> {
    this.writes.push(`update node ${node.metadata.name}`);
    return this.nodePort.update(node);
  }

  async updateNodeStatus(node: NodeObject): Promise<NodeObject> {
    this.writes.push(`update node ${node.metadata.name} status`);
    const current = this.nodePort.get('', node.metadata.name!)!;
    return this.nodePort.update({ ...current, ...node, spec: current.spec });
  }

  async deleteNode(name: string): Promise<void> {
    this.writes.push(`delete node ${name}`);
    this.nodePort.delete('', name);
  }

  async updateService(svc: ServiceObject): Promise<ServiceObject> {
    this.writes.push(`update service ${svc.metadata.name}`);
    const stored = this.servicePort.update(svc);
    if (stored.metadata.deletionTimestamp && finalizersOf(stored).length === 0) {
      this.servicePort.delete(stored.metadata.namespace ?? '', stored.metadata.name!);
    }
    return stored;
  }

  async updateServiceStatus(svc: ServiceObject): Promise<ServiceObject> {
    this.writes.push(`update service ${svc.metadata.name} status`);
    const current = this.servicePort.get(svc.metadata.namespace ?? '', svc.metadata.name!)!;
    return this.servicePort.update({
      ...current,
      status: svc.status,
      metadata: { ...current.metadata, resourceVersion: svc.metadata.resourceVersion },
    });
  }

  // EventRecorder
  event(about: ServiceObject | NodeObject, type: EventType, reason: string, message: string): void {
    this.events.push({ object: about.metadata.name ?? '', type, reason, message });
  }
}

export const lbService = (
  name: string,
  extra: Partial<ServiceObject['spec']> = {},
): ServiceObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30080 }], ...extra },
});
