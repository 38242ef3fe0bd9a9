import { bootstrapService, type ServiceOptions } from '@bosun/service-host';
import { AppModule } from './app.module';
import { controllerManagerConfig } from './controller-manager.config';

/** The controller-manager as service-host runs it; tests and `npm start` reuse this definition. */
export const controllerManager: ServiceOptions<typeof controllerManagerConfig> = {
  name: 'controller-manager',
  module: AppModule,
  defaultPort: 10257,
  config: controllerManagerConfig,
  status: {
    phase: 'partial',
    summary:
      'leader election on kube-system/bosun-controller-manager and the controllers listed in src/controllers/index.ts, over the REST API',
  },
};

if (require.main === module) {
  bootstrapService(controllerManager).catch(() => process.exit(1));
}
