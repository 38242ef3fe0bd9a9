import { Module, type DynamicModule } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { Logger } from '@bosun/common';
import { HealthController } from './health.controller';
import { METRICS_REGISTRY } from './metrics-registry';
import { ReadinessRegistry } from './readiness-registry';
import { SERVICE_CONFIG, SERVICE_INFO, SERVICE_LOGGER, type ServiceInfo } from './service-options';

export interface HostProviders {
  readonly info: ServiceInfo;
  readonly config: object;
  readonly logger: Logger;
  readonly metrics: Registry;
}

/**
 * Global so a service's own providers can inject `ReadinessRegistry`, `METRICS_REGISTRY`,
 * `SERVICE_CONFIG` and `SERVICE_LOGGER` without importing anything but the tokens.
 */
@Module({})
export class ServiceHostModule {
  static forRoot(p: HostProviders): DynamicModule {
    const providers = [
      ReadinessRegistry,
      { provide: SERVICE_INFO, useValue: p.info },
      { provide: SERVICE_CONFIG, useValue: p.config },
      { provide: SERVICE_LOGGER, useValue: p.logger },
      { provide: METRICS_REGISTRY, useValue: p.metrics },
    ];
    return {
      module: ServiceHostModule,
      global: true,
      controllers: [HealthController],
      providers,
      exports: providers,
    };
  }
}
