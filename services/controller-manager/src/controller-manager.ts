import { hostname } from 'node:os';
import type { ApiClient } from '@bosun/api-client';
import { createLogger, type Logger } from '@bosun/common';
import {
  apiLeasePort,
  LeaderElector,
  type Clock,
  type Controller,
  type LeasePort,
} from '@bosun/controller-kit';
import { defaultRegistry } from '@bosun/resource-model';
import type { Registry } from 'prom-client';
import { CONTROLLERS, type ControllerContext, type ControllerFactory } from './controllers';
import { apiPorts, InformerFactory, type PortFor } from './informer-factory';
import { apiWritePort } from './ports/api-write-port';
import { apiReadPort, type ReadPort } from './ports/read-port';
import type { WritePort } from './ports/write-port';
import type { NodeLifecycleOptions } from './controllers/node-lifecycle.controller';

export const LEASE_NAMESPACE = 'kube-system';
export const LEASE_NAME = 'bosun-controller-manager';

export interface ControllerManagerOptions {
  /** Where reads and writes go; individual ports below override it (tests). */
  readonly client?: ApiClient;
  readonly portFor?: PortFor;
  readonly writer?: WritePort;
  readonly reader?: ReadPort;
  readonly leases?: LeasePort;
  readonly controllers?: readonly ControllerFactory[];
  readonly identity?: string;
  readonly logger?: Logger;
  readonly registry?: Registry;
  readonly workers?: number;
  /** Node lifecycle timings (node-monitor grace period...); Kubernetes' defaults when absent. */
  readonly nodeLifecycle?: NodeLifecycleOptions;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  /** Drives leader election and the controllers' queues (tests pass a fake one). */
  readonly clock?: Clock;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`controller-manager needs a client or a ${what}`);
  return value;
}

/**
 * Runs the controllers while this replica holds the `bosun-controller-manager` Lease. Each term of
 * leadership starts from fresh informers (the list is the truth), so nothing a previous term
 * believed, like in-flight expectations, leaks into the next.
 */
export class ControllerManager {
  private readonly log: Logger;
  private readonly elector: LeaderElector;
  private term: Promise<void> = Promise.resolve();
  private stopping = false;
  private running: { controllers: Controller[]; informers: InformerFactory } | undefined;

  constructor(private readonly opts: ControllerManagerOptions) {
    this.log = opts.logger ?? createLogger('controller-manager');
    const client = opts.client;
    const identity =
      opts.identity ?? `${hostname()}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    this.elector = new LeaderElector({
      port: opts.leases ?? apiLeasePort(need(client, 'lease port')),
      namespace: LEASE_NAMESPACE,
      name: LEASE_NAME,
      identity,
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

  /** The holder of the lease as last seen ('' when none). */
  get leader(): string {
    return this.elector.leader;
  }

  isLeader(): boolean {
    return this.elector.isLeader();
  }

  /** The running controllers (empty unless leading). */
  controllers(): readonly Controller[] {
    return this.running?.controllers ?? [];
  }

  start(): void {
    this.elector.start();
  }

  /** Stops leading (releasing the lease so a successor starts at once) and every controller. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.elector.stop({ release: true });
    await this.term;
    await this.stopControllers();
  }

  private async lead(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const client = this.opts.client;
    const informers = new InformerFactory(this.opts.portFor ?? apiPorts(need(client, 'port')));
    const ctx: ControllerContext = {
      informers,
      writer: this.opts.writer ?? apiWritePort(need(client, 'write port')),
      reader: this.opts.reader ?? apiReadPort(need(client, 'read port')),
      kinds: defaultRegistry,
      logger: this.log,
      registry: this.opts.registry,
      workers: this.opts.workers,
      clock: this.opts.clock,
      nodeLifecycle: this.opts.nodeLifecycle,
    };
    const controllers = (this.opts.controllers ?? CONTROLLERS).map((f) => f(ctx));
    this.running = { controllers, informers };
    this.log.info({ controllers: controllers.map((c) => c.name) }, 'leading: starting controllers');
    signal.addEventListener('abort', () => {
      if (this.stopping) this.log.info('stopping controllers');
      else this.log.warn('leadership lost: stopping controllers');
      this.term = this.term.then(() => this.stopControllers());
    });
    try {
      await Promise.all(controllers.map((c) => c.start()));
    } catch (err) {
      this.log.error({ err }, 'a controller failed to start');
    }
  }

  private async stopControllers(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    await Promise.all(running.controllers.map((c) => c.stop()));
    running.informers.stopAll();
  }
}
