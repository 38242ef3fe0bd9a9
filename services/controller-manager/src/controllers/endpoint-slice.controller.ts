import type { EndpointSlice, Node, Pod, Service } from '@bosun/api-types';
import { isBosunError, ErrorCode } from '@bosun/common';
import {
  defineController,
  formatTime,
  IndexName,
  newControllerRef,
  objectKey,
  realClock,
  revisionOf,
  type Clock,
  type Controller,
  type Informer,
  type KubeObject,
  type Result,
} from '@bosun/controller-kit';
import { desiredGroups } from '../endpoints/desired-slices';
import {
  ManagedByController,
  ManagedByLabel,
  MaxEndpointsPerSlice,
  ServiceNameLabel,
  TriggerTimeAnnotation,
  ZoneLabel,
} from '../endpoints/endpoint-labels';
import { managesEndpoints, serviceLabels } from '../endpoints/service-selection';
import { planSlices, type SlicePlan, type SliceTemplate } from '../endpoints/slice-plan';
import { TriggerTimeTracker } from '../endpoints/trigger-time-tracker';
import { Resources } from '../ports/resources';
import type { WritePort } from '../ports/write-port';
import type { ControllerContext } from './controller-context';
import { kitOptions } from './controller-options';
import { InFlightWrites } from './in-flight-writes';
import { selectedPods, servicesOfPod, zoneChanged } from './service-pod-keys';

export interface EndpointSliceControllerDeps {
  readonly services: Informer<Service>;
  readonly pods: Informer<Pod>;
  readonly nodes: Informer<Node>;
  readonly slices: Informer<EndpointSlice>;
  readonly writer: WritePort;
  readonly maxEndpointsPerSlice?: number;
  readonly clock?: Clock;
}

const zoneOf = (node: KubeObject | undefined) => node?.metadata.labels?.[ZoneLabel];

/** discovery.k8s.io/v1 EndpointSlices for every Service with a selector (kube's controller). */
export function endpointSliceController(ctx: ControllerContext): Controller {
  const deps: EndpointSliceControllerDeps = {
    services: ctx.informers.for<Service>(Resources.services),
    pods: ctx.informers.for<Pod>(Resources.pods),
    nodes: ctx.informers.for<Node>(Resources.nodes),
    slices: ctx.informers.for<EndpointSlice>(Resources.endpointSlices),
    writer: ctx.writer,
    clock: ctx.clock,
  };
  const reconciler = new EndpointSliceReconciler(deps);
  const podServices = servicesOfPod(deps.services, deps.pods);
  const nodeZoneChanged = zoneChanged(zoneOf);
  return defineController({
    ...kitOptions(ctx, 'endpointslice'),
    informers: [deps.services, deps.pods, deps.nodes],
    owns: [{ informer: deps.slices, ownerKind: 'Service' }],
    keyOf: (obj, informer) => {
      if (Object.is(informer, deps.pods)) return podServices(obj);
      if (Object.is(informer, deps.nodes)) {
        const name = obj.metadata.name ?? '';
        if (!nodeZoneChanged(obj, deps.nodes.get(name) !== undefined)) return undefined;
        return deps.pods.byIndex(IndexName.NodeName, name).flatMap(podServices);
      }
      return objectKey(obj);
    },
    reconcile: (key) => reconciler.reconcile(key),
  });
}

/** While our own slice writes are unseen, look again after this long at the latest. */
const StaleCacheRecheckMs = 1000;

export class EndpointSliceReconciler {
  private readonly triggers = new TriggerTimeTracker();
  /**
   * Slice writes the cache has not shown yet (Kubernetes' EndpointSliceTracker): planning from a
   * cache without our last creation would create a twin, so the Service waits for it.
   */
  private readonly inFlight: InFlightWrites;

  constructor(private readonly deps: EndpointSliceControllerDeps) {
    this.inFlight = new InFlightWrites(deps.clock ?? realClock);
  }

  async reconcile(key: string): Promise<Result | void> {
    const service = this.deps.services.get(key);
    // A deleted Service's slices go with it (garbage collection through the owner reference).
    if (!service || !managesEndpoints(service)) {
      this.triggers.forget(key);
      this.inFlight.forget(key);
      return;
    }
    if (this.inFlight.pending(key, (token) => this.observed(token)).size > 0) {
      return { requeueAfter: StaleCacheRecheckMs };
    }
    const pods = selectedPods(this.deps.pods, service);
    const desired = desiredGroups(service, pods, (n) => zoneOf(this.deps.nodes.get(n)));
    const plan = planSlices(this.slicesOf(service), desired, this.template(service));
    const triggerTime = this.triggers.compute(key, service, pods);
    await this.apply(key, plan, triggerTime);
  }

  /** `name@revision` is seen once the cache has that slice at that revision or later; `name@-` once it is gone. */
  private observed(token: string): boolean {
    const at = token.lastIndexOf('@');
    const [namespace, name, revision] = [...token.slice(0, at).split('/'), token.slice(at + 1)];
    const cached = this.deps.slices.getBy(namespace, name);
    if (revision === '-') return cached === undefined;
    return cached !== undefined && revisionOf(cached) >= Number(revision);
  }

  /** The slices this controller manages for the Service (others' slices are left alone). */
  private slicesOf(service: Service): EndpointSlice[] {
    return this.deps.slices
      .byIndex(IndexName.Label, `${ServiceNameLabel}=${service.metadata.name}`)
      .filter(
        (s) =>
          s.metadata.namespace === service.metadata.namespace &&
          s.metadata.labels?.[ManagedByLabel] === ManagedByController,
      );
  }

  private template(service: Service): SliceTemplate {
    const name = service.metadata.name ?? '';
    return {
      maxEndpoints: this.deps.maxEndpointsPerSlice ?? MaxEndpointsPerSlice,
      metadata: {
        namespace: service.metadata.namespace,
        generateName: `${name.slice(0, 62)}-`,
        labels: {
          ...serviceLabels(service),
          [ServiceNameLabel]: name,
          [ManagedByLabel]: ManagedByController,
        },
        ownerReferences: [newControllerRef(service, 'v1', 'Service')],
      },
    };
  }

  /** Deletions last, so a Service never has fewer endpoints published than it should. */
  private async apply(
    key: string,
    plan: SlicePlan,
    triggerTime: number | undefined,
  ): Promise<void> {
    const { writer } = this.deps;
    const written = (s: EndpointSlice) =>
      this.inFlight.add(key, `${objectKey(s)}@${revisionOf(s)}`);
    for (const slice of plan.create) {
      written(await writer.create(Resources.endpointSlices, annotate(slice, triggerTime)));
    }
    for (const slice of plan.update) {
      written(await writer.update(Resources.endpointSlices, annotate(slice, triggerTime)));
    }
    for (const slice of plan.delete) {
      const token = `${objectKey(slice)}@-`;
      this.inFlight.add(key, token);
      try {
        await writer.delete(
          Resources.endpointSlices,
          slice.metadata.namespace ?? '',
          slice.metadata.name ?? '',
          { uid: slice.metadata.uid },
        );
      } catch (error) {
        if (isBosunError(error, ErrorCode.NotFound)) continue;
        this.inFlight.remove(key, token);
        throw error;
      }
    }
  }
}

/** The trigger time goes on every slice written in this sync (and off, when nothing changed). */
function annotate(slice: EndpointSlice, at: number | undefined): EndpointSlice {
  const annotations = { ...(slice.metadata.annotations ?? {}) };
  if (at === undefined) delete annotations[TriggerTimeAnnotation];
  else annotations[TriggerTimeAnnotation] = formatTime(at);
  return { ...slice, metadata: { ...slice.metadata, annotations } };
}
