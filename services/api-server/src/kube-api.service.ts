import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Logger } from '@bosun/common';
import type { Registry } from 'prom-client';
import {
  type ConfigOf,
  METRICS_REGISTRY,
  ReadinessRegistry,
  SERVICE_CONFIG,
  SERVICE_LOGGER,
} from '@bosun/service-host';
import type { apiServerConfig } from './api-server.config';
import { startApiServer, type RunningApiServer } from './api-server';

/**
 * Runs the Kubernetes REST API (its own HTTPS listener, not Nest's: watches and raw bodies need
 * direct control of the socket) for the lifetime of the Nest application.
 */
@Injectable()
export class KubeApiService implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: RunningApiServer | undefined;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ConfigOf<typeof apiServerConfig>,
    @Inject(SERVICE_LOGGER) private readonly log: Logger,
    @Inject(METRICS_REGISTRY) private readonly metrics: Registry,
    private readonly readiness: ReadinessRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.readiness.register('kube-api', () => ({
      ok: this.server !== undefined,
      detail: this.server ? `serving ${this.server.url}` : 'not started',
    }));
    this.server = await startApiServer({
      home: this.config.home,
      port: this.config.apiPort,
      grpcPort: this.config.grpcPort,
      host: this.config.apiHost,
      hosts: this.config.tlsHosts,
      tokenAuthFile: this.config.tokenAuthFile || undefined,
      store: {
        url: this.config.databaseUrl,
        schema: this.config.databaseSchema,
        statementTimeoutMs: this.config.storeStatementTimeout,
        maxQueuedWrites: this.config.storeMaxQueuedWrites,
      },
      maxInflight: this.config.maxRequestsInflight,
      maxLongRunning: this.config.maxLongRunningRequests,
      requestTimeoutMs: this.config.requestTimeout,
      nats: { url: this.config.natsUrl, prefix: this.config.natsPrefix },
      compaction: {
        intervalMs: this.config.compactionInterval,
        retainMs: this.config.historyRetention,
      },
      log: this.log,
      metrics: this.metrics,
    });
  }

  /** The running API (for tests and `npm start`), undefined before bootstrap. */
  get api(): RunningApiServer | undefined {
    return this.server;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }
}
