import type { ApiClient } from '@bosun/api-client';
import type { Logger } from '@bosun/common';
import {
  apiEventPort,
  apiLeasePort,
  apiListWatchPort,
  leaseTimings,
  ManagedComponent,
  referenceTo,
  type Clock,
  type LeaseTimings,
  type EventPort,
  type EventRecorder,
  type LeasePort,
  type PortFor,
  type RunContext,
  type Runnable,
} from '@bosun/controller-kit';
import type { Registry } from 'prom-client';
import type { CloudProvider } from './cloud-provider/cloud-provider';
import type { NodeObject, ServiceObject } from './cloud-provider/types';
import { CLOUD_CONTROLLERS, type CloudControllerFactory } from './controllers';
import type { CloudWritePort } from './ports/cloud-write-port';
import { Resources } from './ports/api-cloud-write-port';

export const LEASE_NAMESPACE = 'kube-system';
export const LEASE_NAME = 'cloud-controller-manager';

/** The cluster state a provider may read (the local provider keeps its addresses in it). */
export interface ClusterView {
  services(): Iterable<ServiceObject>;
}

export interface CloudControllerManagerOptions extends LeaseTimings {
  /** Builds the provider afresh for each term of leadership, over the shared caches. */
  readonly cloud: (view: ClusterView) => CloudProvider;
  readonly leases: LeasePort;
  /** Where the nodes and services informers list and watch. */
  readonly portFor: PortFor;
  readonly writer: CloudWritePort;
  /** Where Events are written (dropped when absent). */
  readonly events?: EventPort;
  readonly clusterName?: string;
  readonly controllers?: readonly CloudControllerFactory[];
  readonly logger?: Logger;
  readonly registry?: Registry;
  readonly workers?: number;
  readonly nodeMonitorPeriodMs?: number;
  readonly clock?: Clock;
}

/** The api-server adapters for everything but the provider and the writer. */
export function apiCloudPorts(client: ApiClient) {
  return {
    leases: apiLeasePort(client),
    portFor: ((ref, selectors) => apiListWatchPort(client, ref, selectors)) satisfies PortFor,
    events: apiEventPort(client),
  };
}

/**
 * The cloud controllers, declared on the kit's Manager under the kube-system/cloud-controller-manager
 * Lease. Each term gets a fresh provider and fresh controllers over the shared caches, started
 * only once both caches are full: the local provider must see every address already recorded
 * before it hands one out (the list is the truth, never what an older term believed).
 */
export class CloudControllerManager extends ManagedComponent {
  constructor(private readonly opts: CloudControllerManagerOptions) {
    super({
      name: 'cloud-controller-manager',
      portFor: opts.portFor,
      leaderElection: {
        port: opts.leases,
        namespace: LEASE_NAMESPACE,
        name: LEASE_NAME,
        ...leaseTimings(opts),
      },
      events: opts.events,
      clock: opts.clock,
      logger: opts.logger,
      registry: opts.registry,
    });
    this.manager.add((run) => this.term(run));
  }

  private term(run: RunContext): readonly (Runnable | undefined)[] {
    const nodes = run.informers.for<NodeObject>(Resources.nodes);
    const services = run.informers.for<ServiceObject>(Resources.services);
    const cloud = this.opts.cloud({ services: () => services.list() });
    run.logger.info({ provider: cloud.name }, 'cloud provider for this term');
    const ctx = {
      cloud,
      clusterName: this.opts.clusterName ?? 'bosun',
      nodes,
      services,
      writer: this.opts.writer,
      events: withKind(run.recorder('service-controller')),
      logger: run.logger,
      registry: this.opts.registry,
      clock: this.opts.clock,
      workers: this.opts.workers,
      nodeMonitorPeriodMs: this.opts.nodeMonitorPeriodMs,
    };
    return (this.opts.controllers ?? CLOUD_CONTROLLERS).map((f) => f(ctx));
  }
}

/** Cached objects may come without their kind: these controllers write about Services and Nodes. */
function withKind(recorder: EventRecorder): EventRecorder {
  return {
    event: (about, ...rest) =>
      recorder.event(
        'metadata' in about
          ? referenceTo(about, {
              apiVersion: 'v1',
              kind: about.metadata.namespace ? 'Service' : 'Node',
            })
          : about,
        ...rest,
      ),
  };
}
