import { hostname } from 'node:os';
import type { ApiClient } from '@bosun/api-client';
import { createLogger, type Logger } from '@bosun/common';
import {
  apiLeasePort,
  apiListWatchPort,
  Informer,
  LeaderElector,
  type Clock,
  type Controller,
  type KubeObject,
  type LeasePort,
  type ListWatchPort,
} from '@bosun/controller-kit';
import type { Registry } from 'prom-client';
import type { CloudProvider } from './cloud-provider/cloud-provider';
import type { NodeObject, ServiceObject } from './cloud-provider/types';
import { CLOUD_CONTROLLERS, type CloudControllerFactory } from './controllers';
import type { CloudWritePort, EventRecorder } from './ports/cloud-write-port';
import { Resources } from './ports/api-cloud-write-port';

export const LEASE_NAMESPACE = 'kube-system';
export const LEASE_NAME = 'cloud-controller-manager';

/** The cluster state a provider may read (the local provider keeps its addresses in it). */
export interface ClusterView {
  services(): Iterable<ServiceObject>;
}

export interface CloudControllerManagerOptions {
  /** Builds the provider afresh for each term of leadership, over that term's caches. */
  readonly cloud: (view: ClusterView) => CloudProvider;
  readonly leases: LeasePort;
  readonly nodesPort: ListWatchPort<NodeObject>;
  readonly servicesPort: ListWatchPort<ServiceObject>;
  readonly writer: CloudWritePort;
  readonly events: EventRecorder;
  readonly clusterName?: string;
  readonly controllers?: readonly CloudControllerFactory[];
  readonly identity?: string;
  readonly logger?: Logger;
  readonly registry?: Registry;
  readonly workers?: number;
  readonly nodeMonitorPeriodMs?: number;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  readonly clock?: Clock;
}

/** The api-server adapters for everything but the provider and the event recorder. */
export function apiCloudPorts(client: ApiClient) {
  return {
    leases: apiLeasePort(client),
    nodesPort: apiListWatchPort<NodeObject>(client, Resources.nodes),
    servicesPort: apiListWatchPort<ServiceObject>(client, Resources.services),
  };
}

/**
 * Runs the cloud controllers while this replica holds the kube-system/cloud-controller-manager
 * Lease. Each term starts from fresh informers and a fresh provider: what the provider knows is
 * rebuilt from the cluster (the list is the truth), never carried over from an older term.
 */
export class CloudControllerManager {
  private readonly log: Logger;
  private readonly elector: LeaderElector;
  private term: Promise<void> = Promise.resolve();
  private stopping = false;
  private running:
    | { controllers: Controller[]; informers: Informer<KubeObject>[]; cloud: CloudProvider }
    | undefined;

  constructor(private readonly opts: CloudControllerManagerOptions) {
    this.log = opts.logger ?? createLogger('cloud-controller-manager');
    this.elector = new LeaderElector({
      port: opts.leases,
      namespace: LEASE_NAMESPACE,
      name: LEASE_NAME,
      identity:
        opts.identity ?? `${hostname()}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`,
      leaseDurationMs: opts.leaseDurationMs,
      renewDeadlineMs: opts.renewDeadlineMs,
      retryPeriodMs: opts.retryPeriodMs,
      clock: opts.clock,
      logger: this.log.child({ component: 'leader-elector' }),
      onStartedLeading: (signal) => {
        this.term = this.term.then(() => this.lead(signal));
      },
    });
  }

  get leader(): string {
    return this.elector.leader;
  }

  isLeader(): boolean {
    return this.elector.isLeader();
  }

  /** The provider of the current term (undefined unless leading). */
  get cloud(): CloudProvider | undefined {
    return this.running?.cloud;
  }

  controllers(): readonly Controller[] {
    return this.running?.controllers ?? [];
  }

  start(): void {
    this.elector.start();
  }

  /** Gives up the lease (a successor takes over at once) and stops every controller. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.elector.stop({ release: true });
    await this.term;
    await this.stopControllers();
  }

  private async lead(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const nodes = new Informer<NodeObject>({ name: 'nodes', port: this.opts.nodesPort });
    const services = new Informer<ServiceObject>({
      name: 'services',
      port: this.opts.servicesPort,
    });
    const cloud = this.opts.cloud({ services: () => services.list() });
    const ctx = {
      cloud,
      clusterName: this.opts.clusterName ?? 'bosun',
      nodes,
      services,
      writer: this.opts.writer,
      events: this.opts.events,
      logger: this.log,
      registry: this.opts.registry,
      clock: this.opts.clock,
      workers: this.opts.workers,
      nodeMonitorPeriodMs: this.opts.nodeMonitorPeriodMs,
    };
    const controllers = (this.opts.controllers ?? CLOUD_CONTROLLERS)
      .map((f) => f(ctx))
      .filter((c): c is Controller => c !== undefined);
    const informers = [nodes, services] as unknown as Informer<KubeObject>[];
    this.running = { controllers, informers, cloud };
    this.log.info(
      { provider: cloud.name, controllers: controllers.map((c) => c.name) },
      'leading: starting cloud controllers',
    );
    signal.addEventListener('abort', () => {
      if (this.stopping) this.log.info('stopping cloud controllers');
      else this.log.warn('leadership lost: stopping cloud controllers');
      this.term = this.term.then(() => this.stopControllers());
    });
    try {
      // Both caches must be full before any reconcile: the local provider must see every
      // address already recorded before it hands one out.
      // Raced with the end of the term: a list that never succeeds must not hold up stop().
      const ended = new Promise<void>((resolve) =>
        signal.addEventListener('abort', () => resolve()),
      );
      await Promise.race([Promise.all([nodes.start(), services.start()]), ended]);
      if (signal.aborted) return;
      await Promise.race([Promise.all(controllers.map((c) => c.start())), ended]);
    } catch (err) {
      this.log.error({ err }, 'a cloud controller failed to start');
    }
  }

  private async stopControllers(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    await Promise.all(running.controllers.map((c) => c.stop()));
    for (const i of running.informers) i.stop();
  }
}
