import type { Endpoints, Pod, Service } from '@bosun/api-types';
import { isBosunError, ErrorCode } from '@bosun/common';
import {
  defineController,
  formatTime,
  objectKey,
  splitKey,
  type Controller,
  type Informer,
} from '@bosun/controller-kit';
import { OverCapacityAnnotation, TriggerTimeAnnotation } from '../endpoints/endpoint-labels';
import { desiredEndpoints } from '../endpoints/endpoints-object';
import { managesEndpoints } from '../endpoints/service-selection';
import { TriggerTimeTracker } from '../endpoints/trigger-time-tracker';
import { sameJson } from '../workloads/canonical-json';
import { Resources } from '../ports/resources';
import type { WritePort } from '../ports/write-port';
import type { ControllerContext } from './controller-context';
import { kitOptions } from './controller-options';
import { selectedPods, servicesOfPod } from './service-pod-keys';

export interface EndpointsControllerDeps {
  readonly services: Informer<Service>;
  readonly pods: Informer<Pod>;
  readonly endpoints: Informer<Endpoints>;
  readonly writer: WritePort;
}

/**
 * core/v1 Endpoints kept for older clients, one per Service with a selector, named after it (kube's
 * endpoints controller). They carry no owner reference, as in Kubernetes: the trigger-time
 * annotation marks the ones this controller wrote, and only those are deleted with their Service.
 */
export function endpointsController(ctx: ControllerContext): Controller {
  const deps: EndpointsControllerDeps = {
    services: ctx.informers.for<Service>(Resources.services),
    pods: ctx.informers.for<Pod>(Resources.pods),
    endpoints: ctx.informers.for<Endpoints>(Resources.endpoints),
    writer: ctx.writer,
  };
  const reconciler = new EndpointsReconciler(deps);
  const podServices = servicesOfPod(deps.services, deps.pods);
  return defineController({
    ...kitOptions(ctx, 'endpoints'),
    informers: [deps.services, deps.pods, deps.endpoints],
    keyOf: (obj, informer) => (Object.is(informer, deps.pods) ? podServices(obj) : objectKey(obj)),
    reconcile: (key) => reconciler.reconcile(key),
  });
}

export class EndpointsReconciler {
  private readonly triggers = new TriggerTimeTracker();

  constructor(private readonly deps: EndpointsControllerDeps) {}

  async reconcile(key: string): Promise<void> {
    const service = this.deps.services.get(key);
    const current = this.deps.endpoints.get(key);
    if (!service) {
      this.triggers.forget(key);
      if (current?.metadata.annotations?.[TriggerTimeAnnotation]) await this.remove(current);
      return;
    }
    // Without a selector the user writes the Endpoints; leave them be.
    if (!managesEndpoints(service)) return;
    const pods = selectedPods(this.deps.pods, service);
    const desired = desiredEndpoints(service, pods);
    const triggerTime = this.triggers.compute(key, service, pods);
    if (current && unchanged(current, desired)) return;
    const annotations = {
      ...withoutManaged(current?.metadata.annotations),
      ...desired.metadata.annotations,
      [TriggerTimeAnnotation]:
        triggerTime !== undefined
          ? formatTime(triggerTime)
          : (current?.metadata.annotations?.[TriggerTimeAnnotation] ??
            service.metadata.creationTimestamp ??
            ''),
    };
    const metadata = { ...current?.metadata, ...desired.metadata, annotations };
    const next = { ...desired, metadata };
    if (current) {
      await this.deps.writer.update(Resources.endpoints, next);
      return;
    }
    try {
      await this.deps.writer.create(Resources.endpoints, next);
    } catch (error) {
      // Our own creation the cache has not shown yet: its event brings the Service back.
      if (!isBosunError(error, ErrorCode.AlreadyExists)) throw error;
    }
  }

  private async remove(endpoints: Endpoints): Promise<void> {
    const { namespace, name } = splitKey(objectKey(endpoints));
    try {
      await this.deps.writer.delete(Resources.endpoints, namespace, name, {
        uid: endpoints.metadata.uid,
      });
    } catch (error) {
      if (!isBosunError(error, ErrorCode.NotFound)) throw error;
    }
  }
}

/** Same subsets, labels and capacity annotation: nothing to write. */
function unchanged(current: Endpoints, desired: Endpoints): boolean {
  const over = (e: Endpoints) => e.metadata.annotations?.[OverCapacityAnnotation];
  return (
    sameJson(current.subsets ?? [], desired.subsets ?? []) &&
    sameJson(current.metadata.labels ?? {}, desired.metadata.labels ?? {}) &&
    over(current) === over(desired)
  );
}

function withoutManaged(annotations: Record<string, string> | undefined): Record<string, string> {
  const out = { ...(annotations ?? {}) };
  delete out[OverCapacityAnnotation];
  return out;
}
