import { resolve } from 'node:path';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ApiClient, loadKubeconfig } from '@bosun/api-client';
import { Resources, type Node, type Pod } from '@bosun/api-types';
import { BosunError, ErrorCode, type Logger } from '@bosun/common';
import { apiLeasePort, apiListWatchPort, LeaderElector } from '@bosun/controller-kit';
import {
  type ConfigOf,
  METRICS_REGISTRY,
  ReadinessRegistry,
  SERVICE_CONFIG,
  SERVICE_LOGGER,
} from '@bosun/service-host';
import type { Registry } from 'prom-client';
import { PodWriter } from './pod-writer';
import { Scheduler } from './scheduler';
import type { schedulerConfig } from './scheduler.config';
import { SchedulerMetrics } from './scheduler-metrics';

/**
 * Runs the scheduler for the lifetime of the Nest application: informers on every replica, the
 * scheduling loop only on the one holding the Lease.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private client: ApiClient | undefined;
  private scheduler: Scheduler | undefined;
  private elector: LeaderElector | undefined;
  private running: Promise<void> | undefined;
  private writer: PodWriter | undefined;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ConfigOf<typeof schedulerConfig>,
    @Inject(SERVICE_LOGGER) private readonly log: Logger,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly readiness: ReadinessRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const c = this.config;
    if (!(c.leaseDurationMs > c.renewDeadlineMs && c.renewDeadlineMs > c.retryPeriodMs)) {
      throw new BosunError(
        ErrorCode.Invalid,
        'need SCHEDULER_LEASE_DURATION_MS > SCHEDULER_RENEW_DEADLINE_MS > SCHEDULER_RETRY_PERIOD_MS',
      );
    }
    const client = new ApiClient(await loadKubeconfig(resolve(c.kubeconfig)));
    this.client = client;
    const scheduler = this.buildScheduler(client);
    this.readiness.register('informers', () => ({
      ok: scheduler.hasSynced(),
      detail: scheduler.hasSynced() ? 'nodes and pods synced' : 'listing nodes and pods',
    }));
    this.readiness.register('leader-election', () => ({
      ok: true,
      detail: this.elector?.isLeader()
        ? 'leading'
        : `standby (leader: ${this.elector?.leader || 'none'})`,
    }));
    await scheduler.start();
    this.elector = this.buildElector(client, scheduler);
    this.elector.start();
  }

  private buildScheduler(client: ApiClient): Scheduler {
    const c = this.config;
    const writer = new PodWriter(client, c.schedulerName, c.identity, this.log);
    this.writer = writer;
    this.scheduler = new Scheduler({
      pendingPods: apiListWatchPort<Pod>(client, Resources.pods, {
        fieldSelector: 'spec.nodeName=',
        logger: this.log,
      }),
      assignedPods: apiListWatchPort<Pod>(client, Resources.pods, {
        fieldSelector: 'spec.nodeName!=',
        logger: this.log,
      }),
      nodes: apiListWatchPort<Node>(client, Resources.nodes, { logger: this.log }),
      binder: writer,
      reporter: writer,
      schedulerName: c.schedulerName,
      options: { percentageOfNodesToScore: c.percentageOfNodesToScore },
      metrics: new SchedulerMetrics(this.registry),
      logger: this.log,
    });
    return this.scheduler;
  }

  private buildElector(client: ApiClient, scheduler: Scheduler): LeaderElector {
    const c = this.config;
    return new LeaderElector({
      port: apiLeasePort(client),
      namespace: c.leaseNamespace,
      name: c.leaseName,
      identity: c.identity,
      leaseDurationMs: c.leaseDurationMs,
      renewDeadlineMs: c.renewDeadlineMs,
      retryPeriodMs: c.retryPeriodMs,
      logger: this.log,
      onStartedLeading: (signal) => {
        // A term lost and won back quickly starts after the old one's binds have settled.
        const previous = this.running ?? Promise.resolve();
        this.running = previous
          .then(() => (signal.aborted ? undefined : scheduler.run(signal)))
          .catch((e: unknown) => this.log.error({ err: e }, 'scheduling loop failed'));
      },
    });
  }

  /** Whether this replica holds the Lease and schedules (for tests and /status readers). */
  isLeader(): boolean {
    return this.elector?.isLeader() ?? false;
  }

  get core(): Scheduler | undefined {
    return this.scheduler;
  }

  async onApplicationShutdown(): Promise<void> {
    // Release the Lease so a standby takes over without waiting for it to expire.
    await this.elector?.stop({ release: true });
    await this.running;
    // Events of the last binds are still useful to whoever reads them: write them before leaving.
    await this.writer?.events.drained();
    this.scheduler?.stop();
    this.client?.close();
  }
}
