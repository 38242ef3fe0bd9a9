import { bootstrapService, type ServiceOptions } from '@bosun/service-host';
import { AppModule } from './app.module';
import { cloudControllerManagerConfig } from './cloud-controller-manager.config';

/** The cloud-controller-manager as service-host runs it; tests and `npm start` reuse this definition. */
export const cloudControllerManager: ServiceOptions<typeof cloudControllerManagerConfig> = {
  name: 'cloud-controller-manager',
  module: AppModule,
  defaultPort: 10258,
  config: cloudControllerManagerConfig,
  status: {
    phase: 'functional',
    summary:
      'node, node lifecycle and service (LoadBalancer) controllers under leader election, with the built-in `local` provider (providerID local://<node>, load-balancer addresses from a pool); no other providers',
  },
};

if (require.main === module) {
  bootstrapService(cloudControllerManager).catch(() => process.exit(1));
}
