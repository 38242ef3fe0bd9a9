import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ApiClient, loadComponentKubeconfig } from '@bosun/api-client';
import type { Logger } from '@bosun/common';
import type { Registry } from 'prom-client';
import {
  type ConfigOf,
  METRICS_REGISTRY,
  ReadinessRegistry,
  SERVICE_CONFIG,
  SERVICE_LOGGER,
} from '@bosun/service-host';
import type { controllerManagerConfig } from './controller-manager.config';
import { ControllerManager } from './controller-manager';
import { nodeIpamConfig } from './ipam/node-ipam-config';

/** Runs the ControllerManager for the lifetime of the Nest application. */
@Injectable()
export class ControllerManagerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private manager: ControllerManager | undefined;
  private client: ApiClient | undefined;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ConfigOf<typeof controllerManagerConfig>,
    @Inject(SERVICE_LOGGER) private readonly log: Logger,
    @Inject(METRICS_REGISTRY) private readonly metrics: Registry,
    private readonly readiness: ReadinessRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const nodeIpam = nodeIpamConfig(this.config);
    // A standby replica is ready too: readiness says "can take over", not "is leading".
    this.readiness.register('controller-manager', () => ({
      ok: this.manager !== undefined,
      detail: this.manager?.isLeader()
        ? 'leading'
        : `standby (leader: ${this.manager?.leader || 'none'})`,
    }));
    this.client = new ApiClient(
      await loadComponentKubeconfig('CONTROLLER_MANAGER_KUBECONFIG', this.config.kubeconfig),
    );
    this.manager = new ControllerManager({
      client: this.client,
      logger: this.log,
      registry: this.metrics,
      workers: this.config.workers,
      nodeLifecycle: { gracePeriodMs: this.config.nodeMonitorGracePeriodSeconds * 1000 },
      nodeIpam,
    });
    this.manager.start();
  }

  /** The running manager (tests), undefined before bootstrap. */
  get running(): ControllerManager | undefined {
    return this.manager;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.manager?.stop();
    this.client?.close();
    this.manager = undefined;
  }
}
