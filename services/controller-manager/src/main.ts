import { bootstrapService, type ServiceOptions } from '@bosun/service-host';
import { AppModule } from './app.module';

/** The controller-manager as service-host runs it; tests and `npm start` reuse this definition. */
export const controllerManager: ServiceOptions = {
  name: 'controller-manager',
  module: AppModule,
  defaultPort: 10257,
  status: {
    phase: 'skeleton',
    summary: 'skeleton only: serves health, metrics and status; no controllers run yet',
  },
};

if (require.main === module) {
  bootstrapService(controllerManager).catch(() => process.exit(1));
}
