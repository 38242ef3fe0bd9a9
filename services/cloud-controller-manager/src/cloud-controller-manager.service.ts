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
import type { cloudControllerManagerConfig } from './cloud-controller-manager.config';
import { apiCloudPorts, CloudControllerManager } from './cloud-controller-manager';
import { apiCloudWritePort } from './ports/api-cloud-write-port';
import { LocalCloudProvider } from './providers/local/local-provider';

/** Runs the CloudControllerManager for the lifetime of the Nest application. */
@Injectable()
export class CloudControllerManagerService
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private manager: CloudControllerManager | undefined;
  private client: ApiClient | undefined;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ConfigOf<typeof cloudControllerManagerConfig>,
    @Inject(SERVICE_LOGGER) private readonly log: Logger,
    @Inject(METRICS_REGISTRY) private readonly metrics: Registry,
    private readonly readiness: ReadinessRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A standby replica is ready too: readiness says "can take over", not "is leading".
    this.readiness.register('cloud-controller-manager', () => ({
      ok: this.manager !== undefined,
      detail: this.manager?.isLeader()
        ? `leading (provider ${this.config.cloudProvider})`
        : `standby (leader: ${this.manager?.leader || 'none'})`,
    }));
    const client = new ApiClient(
      await loadComponentKubeconfig('CLOUD_CONTROLLER_MANAGER_KUBECONFIG', this.config.kubeconfig),
    );
    this.client = client;
    const { loadBalancerPool, region, zone, instanceType } = this.config;
    this.manager = new CloudControllerManager({
      ...apiCloudPorts(client),
      cloud: (view) =>
        new LocalCloudProvider({
          pool: loadBalancerPool,
          region,
          zone,
          instanceType,
          services: () => view.services(),
        }),
      writer: apiCloudWritePort(client),
      clusterName: this.config.clusterName,
      logger: this.log,
      registry: this.metrics,
      workers: this.config.workers,
      nodeMonitorPeriodMs: this.config.nodeMonitorPeriodMs,
    });
    this.manager.start();
  }

  /** The running manager (tests), undefined before bootstrap. */
  get running(): CloudControllerManager | undefined {
    return this.manager;
  }

  async onApplicationShutdown(): Promise<void> {
    // Also writes the Events recorded so far.
    await this.manager?.stop();
    this.client?.close();
    this.manager = undefined;
  }
}
