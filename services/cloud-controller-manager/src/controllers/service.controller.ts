import { isBosunError, ErrorCode } from '@bosun/common';
import { defineController, type Controller, type Informer } from '@bosun/controller-kit';
import type { LoadBalancer } from '../cloud-provider/cloud-provider';
import type { LoadBalancerStatus, NodeObject, ServiceObject } from '../cloud-provider/types';
import { EventReasons, LoadBalancerCleanupFinalizer } from '../cloud-provider/well-known';
import type { CloudWritePort, EventRecorder } from '../ports/cloud-write-port';
import { kitOptions, type CloudControllerContext } from './cloud-controller-context';

export interface ServiceControllerDeps {
  readonly services: Informer<ServiceObject>;
  readonly nodes: Informer<NodeObject>;
  readonly balancers: LoadBalancer;
  readonly writer: CloudWritePort;
  readonly events: EventRecorder;
  readonly clusterName: string;
}

/**
 * The service controller: a Service of type LoadBalancer gets the cleanup finalizer, a load
 * balancer from the cloud and its address in `status.loadBalancer`; when it is deleted or stops
 * being a LoadBalancer, the load balancer is deleted, the status cleared and the finalizer removed.
 */
export function serviceController(ctx: CloudControllerContext): Controller | undefined {
  const balancers = ctx.cloud.loadBalancer();
  if (!balancers) return undefined;
  const reconciler = new ServiceReconciler({
    services: ctx.services,
    nodes: ctx.nodes,
    balancers,
    writer: ctx.writer,
    events: ctx.events,
    clusterName: ctx.clusterName,
  });
  return defineController({
    ...kitOptions(ctx, 'service-lb'),
    informers: [ctx.services],
    reconcile: (key) => reconciler.reconcile(key),
  });
}

export class ServiceReconciler {
  /** The last state seen of every Service with a load balancer, to clean up after a lost delete. */
  private readonly known = new Map<string, ServiceObject>();

  constructor(private readonly deps: ServiceControllerDeps) {}

  async reconcile(key: string): Promise<void> {
    const service = this.deps.services.get(key);
    if (!service) {
      // Deleted without our finalizer (e.g. it was removed by hand): release what it held.
      const last = this.known.get(key);
      if (last) await this.deps.balancers.ensureLoadBalancerDeleted(this.deps.clusterName, last);
      this.known.delete(key);
      return;
    }
    if (wantsLoadBalancer(service)) {
      this.known.set(key, service);
      await this.ensure(service);
    } else {
      await this.cleanUp(service);
      this.known.delete(key);
    }
  }

  private async ensure(cached: ServiceObject): Promise<void> {
    const { balancers, clusterName, events } = this.deps;
    let service = cached;
    if (!hasFinalizer(service)) {
      const finalizers = [...finalizersOf(service), LoadBalancerCleanupFinalizer];
      service = await this.deps.writer.updateService({
        ...service,
        metadata: { ...service.metadata, finalizers },
      });
    }
    const recorded = service.status?.loadBalancer ?? {};
    const existing = await balancers.getLoadBalancer(clusterName, service);
    const changing = existing === undefined || !sameStatus(existing, recorded);
    if (changing) events.event(service, 'Normal', EventReasons.ensuring, 'Ensuring load balancer');
    let status: LoadBalancerStatus;
    try {
      status = await balancers.ensureLoadBalancer(clusterName, service, this.readyNodes());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      events.event(
        service,
        'Warning',
        EventReasons.syncFailed,
        `Error syncing load balancer: ${message}`,
      );
      throw error;
    }
    if (!sameStatus(status, recorded)) {
      await this.deps.writer.updateServiceStatus({
        ...service,
        status: { ...service.status, loadBalancer: status },
      });
    }
    if (changing) events.event(service, 'Normal', EventReasons.ensured, 'Ensured load balancer');
  }

  private async cleanUp(cached: ServiceObject): Promise<void> {
    const key = `${cached.metadata.namespace}/${cached.metadata.name}`;
    const recorded = cached.status?.loadBalancer?.ingress ?? [];
    if (!hasFinalizer(cached) && recorded.length === 0 && !this.known.has(key)) return;
    const { balancers, clusterName, events } = this.deps;
    let service = cached;
    events.event(service, 'Normal', EventReasons.deleting, 'Deleting load balancer');
    try {
      await balancers.ensureLoadBalancerDeleted(clusterName, service);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      events.event(
        service,
        'Warning',
        EventReasons.deleteFailed,
        `Error deleting load balancer: ${message}`,
      );
      throw error;
    }
    if (recorded.length > 0) {
      service = await this.deps.writer.updateServiceStatus({
        ...service,
        status: { ...service.status, loadBalancer: {} },
      });
    }
    if (hasFinalizer(service)) {
      const finalizers = finalizersOf(service).filter((f) => f !== LoadBalancerCleanupFinalizer);
      try {
        await this.deps.writer.updateService({
          ...service,
          metadata: { ...service.metadata, finalizers },
        });
      } catch (error) {
        // The last finalizer of a deleted Service: the object may be gone already.
        if (!isBosunError(error, ErrorCode.NotFound)) throw error;
      }
    }
    events.event(service, 'Normal', EventReasons.deleted, 'Deleted load balancer');
  }

  private readyNodes(): NodeObject[] {
    return this.deps.nodes
      .list()
      .filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  }
}

/** As Kubernetes: a LoadBalancer Service not being deleted and not handed to another class. */
export const wantsLoadBalancer = (service: ServiceObject): boolean =>
  service.spec?.type === 'LoadBalancer' &&
  !service.metadata.deletionTimestamp &&
  !service.spec.loadBalancerClass;

const finalizersOf = (service: ServiceObject): string[] =>
  Array.isArray(service.metadata.finalizers) ? (service.metadata.finalizers as string[]) : [];

const hasFinalizer = (service: ServiceObject): boolean =>
  finalizersOf(service).includes(LoadBalancerCleanupFinalizer);

const sameStatus = (a: LoadBalancerStatus, b: LoadBalancerStatus): boolean =>
  JSON.stringify(a.ingress ?? []) === JSON.stringify(b.ingress ?? []);
