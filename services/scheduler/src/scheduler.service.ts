import { resolve } from 'node:path';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ApiClient, loadComponentKubeconfig } from '@bosun/api-client';
import { Resources, type Node, type Pod } from '@bosun/api-types';
import { BosunError, ErrorCode, type Logger } from '@bosun/common';
import {
  apiEventPort,
  apiLeasePort,
  apiListWatchPort,
  loopRunnable,
  Manager,
} from '@bosun/controller-kit';
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
 * Runs the scheduler for the lifetime of the Nest application on the kit's Manager: its
 * informers on every replica (a standby takes over warm), the scheduling loop only while this
 * replica holds the Lease.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private client: ApiClient | undefined;
  private scheduler: Scheduler | undefined;
  private manager: Manager | undefined;

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
    const client = new ApiClient(
      await loadComponentKubeconfig('BOSUN_KUBECONFIG', resolve(c.kubeconfig)),
    );
    this.client = client;
    const manager = new Manager({
      name: 'scheduler',
      portFor: (ref, selectors) =>
        apiListWatchPort(client, ref, { ...selectors, logger: this.log }),
      leaderElection: {
        port: apiLeasePort(client),
        namespace: c.leaseNamespace,
        name: c.leaseName,
        identity: c.identity,
        leaseDurationMs: c.leaseDurationMs,
        renewDeadlineMs: c.renewDeadlineMs,
        retryPeriodMs: c.retryPeriodMs,
      },
      events: apiEventPort(client),
      logger: this.log,
      registry: this.registry,
    });
    this.manager = manager;
    const scheduler = this.buildScheduler(client, manager);
    manager.add(() => loopRunnable('scheduling', (signal) => scheduler.run(signal)));
    this.readiness.register('informers', () => ({
      ok: scheduler.hasSynced(),
      detail: scheduler.hasSynced() ? 'nodes and pods synced' : 'listing nodes and pods',
    }));
    this.readiness.register('leader-election', () => ({
      ok: true,
      detail: manager.isLeader() ? 'leading' : `standby (leader: ${manager.leader || 'none'})`,
    }));
    manager.start();
  }

  private buildScheduler(client: ApiClient, manager: Manager): Scheduler {
    const c = this.config;
    const writer = new PodWriter(client, manager.recorder(c.schedulerName, c.identity));
    this.scheduler = new Scheduler({
      pendingPods: manager.informers.for<Pod>(Resources.pods, { fieldSelector: 'spec.nodeName=' }),
      assignedPods: manager.informers.for<Pod>(Resources.pods, {
        fieldSelector: 'spec.nodeName!=',
      }),
      nodes: manager.informers.for<Node>(Resources.nodes),
      binder: writer,
      reporter: writer,
      schedulerName: c.schedulerName,
      options: { percentageOfNodesToScore: c.percentageOfNodesToScore },
      metrics: new SchedulerMetrics(this.registry),
      logger: this.log,
    });
    return this.scheduler;
  }

  /** Whether this replica holds the Lease and schedules (for tests and /status readers). */
  isLeader(): boolean {
    return this.manager?.isLeader() ?? false;
  }

  get core(): Scheduler | undefined {
    return this.scheduler;
  }

  async onApplicationShutdown(): Promise<void> {
    // Releases the Lease so a standby takes over without waiting for it to expire, lets the
    // binds in flight settle, and writes the Events of the last binds before leaving.
    await this.manager?.stop();
    this.client?.close();
  }
}
